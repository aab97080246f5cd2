// File helpers every module shares: atomic writes, sha256 of files and bytes, validated JSON state.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';

/** Write via a temporary file and a rename, so a reader never sees a half-written file. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** What tells a file was rewritten without reading it: a hash kept beside an equal stamp still holds. */
export interface StatStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}
export function statStamp(path: string): StatStamp {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
}
export const sameStat = (a: StatStamp | undefined, b: StatStamp): boolean =>
  !!a && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A JSON file another command wrote, checked against its schema: undefined when it does not exist,
 * a clear error naming the file when it is corrupt (never silently empty).
 */
export function readJsonFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(
      `${file} is not valid JSON (${(e as Error).message}); remove it and run the command that writes it again`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UserError(
      `${file} does not hold what accelbase wrote (${first?.path.join('.') || 'top level'}: ${first?.message}); remove it and run the command that writes it again`,
    );
  }
  return parsed.data;
}

/** The bytes the regular files under `dir` hold (0 when it does not exist); links are not followed. */
export function directoryBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) total += lstatSync(path).size;
    }
  };
  if (existsSync(dir)) walk(dir);
  return total;
}
