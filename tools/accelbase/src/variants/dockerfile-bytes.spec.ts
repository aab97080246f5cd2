import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../cli/main.js';
import { applyEditsToBytes, decodeBytes, encodeText } from './dockerfile-bytes.js';
import { rewriteFrom } from './rewrite-from.js';

const dir = mkdtempSync(join(tmpdir(), 'accelbase-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A line's worth of any bytes but line breaks: Latin-1, broken UTF-8, NUL, real UTF-8. */
const lineBytes = fc.uint8Array({ maxLength: 40 }).map((b) => b.filter((x) => x !== 0x0a && x !== 0x0d));

describe('Dockerfile bytes as parser text', () => {
  test('any bytes decode and encode back to themselves', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeText(decodeBytes(bytes))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  test('valid UTF-8 decodes as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeBytes(Buffer.from(s))).toBe(s);
      }),
    );
  });

  test('a rewrite changes only the FROM edit and the inserted ARG line, byte for byte', () => {
    fc.assert(
      fc.property(lineBytes, lineBytes, fc.constantFrom('\n', '\r\n'), (comment, run, eol) => {
        const bytes = Buffer.concat([
          Buffer.from(`# `),
          comment,
          Buffer.from(`${eol}FROM ubuntu:24.04 AS app${eol}RUN `),
          run,
          Buffer.from(eol),
        ]);
        const text = decodeBytes(bytes);
        const r = rewriteFrom(text);
        const out = applyEditsToBytes(bytes, text, r.edits);
        const expected = Buffer.concat([
          Buffer.from(`# `),
          comment,
          Buffer.from(`${eol}ARG BASE_IMAGE=ubuntu:24.04${eol}FROM \${BASE_IMAGE} AS app${eol}RUN `),
          run,
          Buffer.from(eol),
        ]);
        expect(out).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  test('rewrite-from --write keeps Latin-1 and broken bytes outside the edit', async () => {
    const file = join(dir, 'Dockerfile');
    const before = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9, 0xff, 0xc0]),
      Buffer.from('\nFROM debian:12\nRUN echo '),
      Buffer.from([0xa9, 0x00]),
      Buffer.from('\n'),
    ]);
    writeFileSync(file, before);
    let err = '';
    expect(
      await main(
        ['rewrite-from', file, '--write'],
        () => undefined,
        (t) => void (err += t),
      ),
    ).toBe(0);
    expect(err).toBe('');
    const after = readFileSync(file);
    expect(after).toEqual(
      Buffer.concat([
        Buffer.from('# caf'),
        Buffer.from([0xe9, 0xff, 0xc0]),
        Buffer.from('\nARG BASE_IMAGE=debian:12\nFROM ${BASE_IMAGE}\nRUN echo '),
        Buffer.from([0xa9, 0x00]),
        Buffer.from('\n'),
      ]),
    );
  });
});
