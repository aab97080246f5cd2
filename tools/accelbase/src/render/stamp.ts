// The render stamp: what the last full render left on disk, keyed by everything that went into it,
// so `render` and `render --check` on an unchanged tree answer without loading the catalog, zod, yaml
// or the templates. Only a cache: a missing, corrupt or mismatching stamp means "render in full",
// never a different answer. Kept in .accelbase/ (ignored by git).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workspace } from '../catalog/workspace-paths.js';
import { writeAtomic } from '../lib/fs.js';

/** Written beside the bundled CLI by the bundle step: a hash of its code. Absent when run from tsc's output or the sources. */
export const BUILD_ID_FILE = 'build-id';

export const stampFile = (root: string) => join(root, '.accelbase', 'render-stamp.json');

interface Stamp {
  key: string;
  /** Every rendered file (relative to the root) -> sha256 of its content. */
  files: Record<string, string>;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The bundled CLI's code identity, or undefined (then no stamp is read or written). */
export function buildId(): string | undefined {
  try {
    return readFileSync(join(dirname(fileURLToPath(import.meta.url)), BUILD_ID_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** sha256 over the code, the catalog and lock (names and bytes) and every file under generators/. */
export function inputKey(code: string, ws: Workspace): string {
  const h = createHash('sha256');
  const add = (label: string, data: string | Uint8Array) => h.update(`${label}\0${data.length}\0`).update(data);
  add('code', code);
  for (const file of [ws.catalogFile, ws.lockFile])
    add(relative(ws.root, file), existsSync(file) ? readFileSync(file) : '\0absent');
  for (const file of filesUnder(join(ws.root, 'generators'))) add(relative(ws.root, file), readFileSync(file));
  return h.digest('hex');
}

function readStamp(root: string): Stamp | undefined {
  try {
    const s = JSON.parse(readFileSync(stampFile(root), 'utf8')) as Stamp;
    return typeof s.key === 'string' && s.files && typeof s.files === 'object' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rendered files (sorted) when the tree is exactly what the stamp recorded under this key (every
 * file there with the same bytes, nothing else under images/); undefined otherwise.
 */
export function stampHolds(ws: Workspace, key: string): string[] | undefined {
  const stamp = readStamp(ws.root);
  if (!stamp || stamp.key !== key) return undefined;
  const recorded = Object.keys(stamp.files);
  const images = filesUnder(join(ws.root, 'images')).map((f) => relative(ws.root, f));
  if (images.some((f) => !Object.hasOwn(stamp.files, f))) return undefined;
  for (const path of recorded) {
    const abs = join(ws.root, path);
    if (!existsSync(abs) || sha256(readFileSync(abs)) !== stamp.files[path]) return undefined;
  }
  return recorded;
}

/** Record a tree that matches `files` (after a render wrote it, or a check found it current). Best effort. */
export function writeStamp(ws: Workspace, key: string, files: ReadonlyMap<string, string>): void {
  const stamp: Stamp = {
    key,
    files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, t]) => [p, sha256(t)])),
  };
  try {
    writeAtomic(stampFile(ws.root), `${JSON.stringify(stamp)}\n`);
  } catch {
    // A read-only checkout renders in full every time; nothing else changes.
  }
}
