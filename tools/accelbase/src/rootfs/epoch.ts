// SOURCE_DATE_EPOCH of a root filesystem: by default the `Date:` of the Release files it installs
// from, so the same archive snapshot always gives the same tarball.
import { fetchRelease } from '../datasources/debian/release.js';
import { UserError } from '../errors.js';
import { debug } from '../log.js';

/** A suite's Release date, as seconds since the epoch. */
export async function fetchReleaseEpoch(mirror: string, suite: string): Promise<number> {
  const base = mirror.replace(/\/+$/, '');
  try {
    const release = await fetchRelease({ mirror: base, suite, timeoutMs: 60_000 });
    if (release.date !== undefined) return release.date;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    debug(`rootfs: ${base}/dists/${suite}/: ${e.message}`);
  }
  throw new UserError(`rootfs: no Release date for ${suite} at ${base}/dists/${suite}/ (is the mirror reachable?)`);
}

/** An explicit epoch, else SOURCE_DATE_EPOCH (the run config's `sourceDateEpoch`), else the Release date. */
export function chooseEpoch(explicit: number | undefined, release: number, fromEnv: number | undefined): number {
  return explicit ?? fromEnv ?? release;
}

/** `YYYY-MM-DD` (the lock's `updated`) as seconds since the epoch, at 00:00 UTC. */
export const dateEpoch = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;

/** A derived image's epoch: the newest of its base's and its lock entry's `updated` date. */
export const derivedEpoch = (baseEpoch: number, updated: string | undefined): number =>
  Math.max(baseEpoch, updated ? dateEpoch(updated) : 0);

/** `org.opencontainers.image.created` for an epoch. */
export const createdAt = (epoch: number): string => new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
