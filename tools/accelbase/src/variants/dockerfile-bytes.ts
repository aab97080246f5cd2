// A Dockerfile's bytes as text for the parser, without losing any: valid UTF-8 decodes as usual, and
// each byte that is not (a Latin-1 comment, say) becomes the lone surrogate U+DC80..U+DCFF, which no
// decoded text can otherwise hold. An edit made on that text is applied to the original bytes, so
// everything outside the edit is kept byte for byte, never decoded and encoded again.
import { utf8SequenceLength } from '../lib/input.js';
import type { TextEdit } from './dockerfile-lines.js';

const ESCAPE_BASE = 0xdc00;

export function decodeBytes(bytes: Uint8Array): string {
  const parts: string[] = [];
  let valid = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    parts.push(Buffer.from(bytes.subarray(valid, i)).toString('utf8'), String.fromCharCode(ESCAPE_BASE + bytes[i]));
    valid = ++i;
  }
  parts.push(Buffer.from(bytes.subarray(valid)).toString('utf8'));
  return parts.join('');
}

/** The bytes `decodeBytes` read `text` from: escaped bytes as themselves, the rest as UTF-8. */
export function encodeText(text: string): Buffer {
  // With the u flag a surrogate pair is one character, so only lone (escaped) surrogates match.
  const runs = text.split(/([\udc80-\udcff]+)/u);
  return Buffer.concat(
    runs.map((run, i) =>
      i % 2 === 1 ? Buffer.from(Array.from(run, (c) => c.charCodeAt(0) - ESCAPE_BASE)) : Buffer.from(run, 'utf8'),
    ),
  );
}

/** `bytes` (which decode to `text`) with `edits` on `text` applied; every byte outside them untouched. */
export function applyEditsToBytes(bytes: Uint8Array, text: string, edits: readonly TextEdit[]): Buffer {
  const byteOffset = (offset: number) => encodeText(text.slice(0, offset)).length;
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const start = byteOffset(e.start);
    pieces.push(bytes.subarray(at, start), encodeText(e.insert));
    at = byteOffset(e.end);
  }
  pieces.push(bytes.subarray(at));
  return Buffer.concat(pieces);
}
