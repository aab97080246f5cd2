// SOURCE_DATE_EPOCH of a root filesystem: by default the `Date:` of the Release files it installs
// from, so the same archive snapshot always gives the same tarball.
import { closeSync, openSync, readSync } from 'node:fs';
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

/** An explicit epoch, else SOURCE_DATE_EPOCH from the environment, else the Release date. */
export function chooseEpoch(explicit: number | undefined, release: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH?.trim();
  return explicit ?? (fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : release);
}

/**
 * The epoch a rootfs tarball was packed with: its newest entry mtime. `createTar` clamps every mtime
 * to SOURCE_DATE_EPOCH and bootstrapping touches files after the Release date, so the newest mtime is
 * the epoch itself. Reads only the 512-byte headers.
 */
export function tarballEpoch(file: string): number {
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(512);
  let newest = 0;
  let paxMtime: number | undefined;
  try {
    for (let offset = 0; readSync(fd, header, 0, 512, offset) === 512; ) {
      if (header.every((b) => b === 0)) break;
      const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156] || 0x30);
      if (type === 'x') {
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, offset + 512);
        const m = /(?:^|\n)\d+ mtime=(\d+)/.exec(data.toString('utf8'));
        paxMtime = m ? Number(m[1]) : undefined;
      } else if (type !== 'g' && type !== 'L') {
        const mtime = paxMtime ?? parseInt(header.subarray(136, 148).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
        newest = Math.max(newest, mtime);
        paxMtime = undefined;
      }
      offset += 512 + Math.ceil(size / 512) * 512;
    }
  } finally {
    closeSync(fd);
  }
  if (!newest) throw new UserError(`${file}: no entries with a modification time (not a rootfs tarball?)`);
  return newest;
}

/** `YYYY-MM-DD` (the lock's `updated`) as seconds since the epoch, at 00:00 UTC. */
export const dateEpoch = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;

/** A derived image's epoch: the newest of its base's and its lock entry's `updated` date. */
export const derivedEpoch = (baseEpoch: number, updated: string | undefined): number => Math.max(baseEpoch, updated ? dateEpoch(updated) : 0);

/** `org.opencontainers.image.created` for an epoch. */
export const createdAt = (epoch: number): string => new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
