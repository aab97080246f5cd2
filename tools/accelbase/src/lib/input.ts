// Reading a user's input file (catalog, lock, variants file, Dockerfile): a regular file of bounded
// size, and text only when it is valid UTF-8. Anything else is a clear error naming the file.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileIssue, UserError } from '../errors.js';

/** How messages name a file: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
}

/** Input files are small text; a larger one is a mistake or an attack (`--catalog /dev/zero`). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of `file` (`display` is how messages name it). Opened without blocking, so a named pipe
 * is refused instead of waited on; read up to one byte past the limit, so a file that grows while it
 * is read is refused too.
 */
export function readInputBytes(file: string, display: string, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new UserError(`cannot read ${what} ${file}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw fileIssue(display, `${what} must be a regular file, and this is ${kindOf(stats)}`);
    if (stats.size > MAX_INPUT_BYTES) throw fileIssue(display, tooLarge(what, stats.size));
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_INPUT_BYTES) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; ) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    if (length > MAX_INPUT_BYTES) throw fileIssue(display, tooLarge(what, length));
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (what: string, size: number) =>
  `${what} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB (${size} bytes or more); accelbase reads smaller files only`;

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence; -1 if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF); 0 if none. */
export function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** 1-based line and column (in UTF-16 units, as editors and the YAML parser count) of a byte offset. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  return { line, column: Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8').length + 1 };
}

/** `bytes` as text; invalid UTF-8 is a positioned error (a UTF-16 file is named as such). */
export function decodeUtf8(bytes: Uint8Array, display: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const utf16 =
      bad === 0 &&
      bytes.length > 1 &&
      ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    const { line, column } = bytePosition(bytes, bad);
    const what = utf16
      ? 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8'
      : `invalid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')}); save the file as UTF-8`;
    throw fileIssue(display, what, line, column);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A text input file: bounded, regular, UTF-8. */
export const readInputText = (file: string, display: string, what: string): string =>
  decodeUtf8(readInputBytes(file, display, what), display);
