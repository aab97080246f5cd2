// Writing rendered files: each via a temporary file and a rename, so nothing is left half-written.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeAtomic } from '../lib/fs.js';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

export interface RenderDiff {
  changed: string[];
  added: string[];
  /** Files under images/ that no image renders any more. */
  stale: string[];
}

export function diffRendered(root: string, files: Map<string, string>): RenderDiff {
  const diff: RenderDiff = { changed: [], added: [], stale: [] };
  for (const [path, text] of files) {
    const abs = join(root, path);
    if (!existsSync(abs)) diff.added.push(path);
    else if (readFileSync(abs, 'utf8') !== text) diff.changed.push(path);
  }
  for (const abs of listFiles(join(root, 'images'))) {
    const path = relative(root, abs);
    if (!files.has(path)) diff.stale.push(path);
  }
  return diff;
}

export function applyRendered(root: string, files: Map<string, string>, diff: RenderDiff): void {
  for (const path of [...diff.added, ...diff.changed]) writeAtomic(join(root, path), files.get(path)!);
  for (const path of diff.stale) rmSync(join(root, path));
  // Drop image folders left empty by removed images.
  for (const entry of existsSync(join(root, 'images'))
    ? readdirSync(join(root, 'images'), { withFileTypes: true })
    : []) {
    const dir = join(root, 'images', entry.name);
    if (entry.isDirectory() && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
}
