// Tag derivation: every tag comes from the catalog and the lock, none is typed by hand.

/** Upstream part of a package version, cut to what a Docker tag allows: `1:1.21.0+dfsg-1` -> `1.21.0`. */
export function tagVersion(version: string): string | null {
  const noEpoch = version.replace(/^[0-9]+:/, '');
  const upstream = noEpoch.includes('-') ? noEpoch.slice(0, noEpoch.lastIndexOf('-')) : noEpoch;
  const clean = upstream.split(/[+~]/)[0];
  return /^[0-9][0-9A-Za-z.]*$/.test(clean) ? clean : null;
}

/** Floating tags, most specific last: latest, <dist>, <major>-<dist>, <major.minor>-<dist>, <version>-<dist>. */
export function floatingTags(dist: string, version: string | null): string[] {
  const tags = ['latest', dist];
  if (version) {
    const parts = version.split('.');
    for (let n = 1; n < parts.length; n++) tags.push(`${parts.slice(0, n).join('.')}-${dist}`);
    tags.push(`${version}-${dist}`);
  }
  return [...new Set(tags)];
}

/** minideb: <dist>, <debian release>, and latest on the default distribution. */
export function minidebTags(dist: string, release: string, isDefault: boolean): string[] {
  return [...(isDefault ? ['latest'] : []), dist, release];
}

/** Immutable build tags pushed by `build --push`: dated, and the source revision. */
export function buildTags(dist: string, version: string | null, date: string, revision?: string): string[] {
  if (!/^[0-9]{8}$/.test(date)) throw new Error(`build date must be YYYYMMDD, got "${date}"`);
  const tags = [version ? `${version}-${dist}-${date}` : `${dist}-${date}`];
  if (revision) tags.push(`sha-${revision.slice(0, 7)}`);
  return tags;
}

export const utcDate = (d = new Date()): string => d.toISOString().slice(0, 10).replace(/-/g, '');
