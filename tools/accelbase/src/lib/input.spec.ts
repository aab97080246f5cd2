import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { CatalogError, UserError } from '../errors.js';
import { run } from '../exec.js';
import { bytePosition, decodeUtf8, firstInvalidUtf8, MAX_INPUT_BYTES, readInputBytes } from './input.js';

const dir = mkdtempSync(join(tmpdir(), 'accelbase-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('UTF-8', () => {
  test('firstInvalidUtf8 agrees with a strict decoder on any bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const bad = firstInvalidUtf8(bytes);
        if (bad < 0) expect(() => strict.decode(bytes)).not.toThrow();
        else {
          expect(() => strict.decode(bytes)).toThrow();
          expect(() => strict.decode(bytes.subarray(0, bad))).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('valid text decodes as it was written, a byte-order mark included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeUtf8(Buffer.from(`\ufeff${s}`), 'f')).toBe(`\ufeff${s}`);
      }),
    );
  });

  test('positions count lines and UTF-16 columns', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: é😀'), Buffer.from([0xff])]);
    expect(bytePosition(bytes, bytes.length - 1)).toEqual({ line: 2, column: 7 });
    expect(bytePosition(bytes, 0)).toEqual({ line: 1, column: 1 });
    expect(() => decodeUtf8(bytes, 'f.yaml')).toThrow('f.yaml:2:7 invalid UTF-8 (byte 0xff)');
  });
});

describe('readInputBytes', () => {
  test('reads a file of exactly the limit, refuses one byte more', () => {
    const file = join(dir, 'big');
    writeFileSync(file, '');
    truncateSync(file, MAX_INPUT_BYTES);
    expect(readInputBytes(file, 'big', 'catalog')).toHaveLength(MAX_INPUT_BYTES);
    truncateSync(file, MAX_INPUT_BYTES + 1);
    expect(() => readInputBytes(file, 'big', 'catalog')).toThrow(CatalogError);
  });

  test('refuses what is not a regular file, and names what it is', () => {
    expect(() => readInputBytes('/dev/zero', '/dev/zero', 'catalog')).toThrow(
      '/dev/zero:1:1 catalog must be a regular file, and this is a character device',
    );
    expect(() => readInputBytes(dir, dir, 'catalog')).toThrow('a directory');
    expect(() => readInputBytes(join(dir, 'missing'), 'missing', 'catalog')).toThrow(UserError);
  });

  test('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo.yaml');
    await run('mkfifo', [fifo]);
    expect(() => readInputBytes(fifo, 'fifo.yaml', 'catalog')).toThrow(
      'fifo.yaml:1:1 catalog must be a regular file, and this is a named pipe',
    );
  });
});
