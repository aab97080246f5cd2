// Tag derivation: every tag comes from the catalog and the lock, none is typed by hand.
import { upstreamVersion } from '../versioning/debian.js';
import { isoDay } from '../lib/date.js';

/** Upstream part of a package version, cut to what a Docker tag allows: `1:1.21.0+dfsg-1` -> `1.21.0`. */
export function tagVersion(version: string): string | null {
  const clean = (upstreamVersion(version) ?? '').split(/[+~]/)[0];
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

/** The most specific floating tag: `6.0-trixie`, or the distribution when no version is locked yet. */
export const mostSpecificTag = (image: { tags: readonly string[] }): string =>
  image.tags[image.tags.length - 1] ?? 'latest';

/** minideb: <dist>, <debian release>, and latest on the default distribution. */
export function minidebTags(dist: string, release: string, isDefault: boolean): string[] {
  return [...(isDefault ? ['latest'] : []), dist, release];
}

interface Taggable {
  kind: string;
  dist: string;
  version: string | null;
}

/** `sha-<rev>`; minideb's dists share one repository, so theirs names the dist too (`sha-<rev>-trixie`), or the last dist pushed would own it. */
export const shaTag = (image: Omit<Taggable, 'version'>, revision: string): string =>
  `sha-${revision.slice(0, 7)}${image.kind === 'minideb' ? `-${image.dist}` : ''}`;

/** What a dated build tag is cut from: `6.0-trixie` (runtime version and distribution), or the distribution alone. */
export const datedTagBase = (image: Pick<Taggable, 'version' | 'dist'>): string =>
  image.version ? `${image.version}-${image.dist}` : image.dist;

/** Immutable build tags pushed by `build --push`: dated, and the source revision. */
export function buildTags(image: Taggable, date: string, revision?: string): string[] {
  if (!/^[0-9]{8}$/.test(date)) throw new Error(`build date must be YYYYMMDD, got "${date}"`);
  const tags = [`${datedTagBase(image)}-${date}`];
  if (revision) tags.push(shaTag(image, revision));
  return tags;
}

/** Is `tag` a dated build tag of `floating` (`6.0-trixie-20261128` for `6.0-trixie`), as buildTags cuts them? */
export const isBuildTagOf = (tag: string, floating: string): boolean =>
  new RegExp(`^${floating.replace(/[.]/g, '\\.')}-[0-9]{8}$`).test(tag);

/** The newest dated build tag of an image among a registry's tags (`build --push` pushes only those). */
export const newestBuildTag = (
  tags: readonly string[],
  image: Pick<Taggable, 'version' | 'dist'>,
): string | undefined =>
  tags
    .filter((t) => isBuildTagOf(t, datedTagBase(image)))
    .sort()
    .pop();

export const utcDate = (d = new Date()): string => isoDay(d).replace(/-/g, '');
