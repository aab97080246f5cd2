// Downloaded Packages indexes kept on disk by sha256, so a night whose Release lists the same
// indexes as the last one downloads nothing but the Release.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, writeAtomic } from '../../lib/fs.js';
import type { ReleaseFileEntry } from './release.js';

const cachePath = (cacheDir: string, sha256: string): string => join(cacheDir, 'sha256', sha256);

/** The cached copy of `entry`, or undefined (no cache, not cached, or not what the Release lists). */
export async function readCachedIndex(
  cacheDir: string | undefined,
  entry: ReleaseFileEntry,
): Promise<Buffer | undefined> {
  if (!cacheDir) return undefined;
  const path = cachePath(cacheDir, entry.sha256);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return undefined;
  }
  // Re-hash: a cache file cut short by a crash or edited by hand must not be trusted by its name.
  if (data.length === entry.size && sha256Hex(data) === entry.sha256) return data;
  await rm(path, { force: true });
  return undefined;
}

/** Keep `data`, already checked against `entry`; atomic, so a concurrent reader never sees half a file. */
export function writeCachedIndex(cacheDir: string | undefined, entry: ReleaseFileEntry, data: Buffer): void {
  if (cacheDir) writeAtomic(cachePath(cacheDir, entry.sha256), data);
}
