import { describe, expect, test } from 'vitest';
import { cosignTag, fulcioIssuer, storedPredicateTypes, storedSignature } from './stored.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test("cosign's tags for a digest", () => {
  expect(cosignTag(DIGEST, 'sig')).toBe(`sha256-${'a'.repeat(64)}.sig`);
  expect(cosignTag(DIGEST, 'att')).toBe(`sha256-${'a'.repeat(64)}.att`);
});

describe("a Fulcio certificate's issuer extension", () => {
  const oid = [0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x01];
  const issuer = Buffer.from('https://token.actions.githubusercontent.com');
  test.each([
    ['after the OID', [...oid, 0x04, issuer.length, ...issuer], issuer.toString()],
    ['after a critical flag', [...oid, 0x01, 0x01, 0xff, 0x04, issuer.length, ...issuer], issuer.toString()],
    ['absent', [0x30, 0x03, 0x02, 0x01, 0x01], undefined],
  ])('%s', (_, bytes, want) => expect(fulcioIssuer(Buffer.from([0x30, 0x00, ...bytes]))).toBe(want));
});

test('a signature layer without a certificate is a key signature; an unreadable certificate still keyless', () => {
  expect(storedSignature({ annotations: { 'dev.cosignproject.cosign/signature': 'MEUC' } })).toEqual({ kind: 'key' });
  expect(storedSignature({ annotations: { 'dev.sigstore.cosign/certificate': 'not a certificate' } })).toEqual({
    kind: 'keyless',
  });
});

test('attestation layers name their predicate types', () => {
  expect(storedPredicateTypes([{ annotations: { predicateType: 'https://spdx.dev/Document' } }, {}])).toEqual([
    'https://spdx.dev/Document',
    'unknown',
  ]);
});
