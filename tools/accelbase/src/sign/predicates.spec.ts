import { describe, expect, test } from 'vitest';
import { alreadyAttested, PREDICATE_TYPES, signedDigests, statementsOf, type Predicate } from './predicates.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const envelope = (statement: object) =>
  JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [],
  });
const statement = (digest: string, predicateType: string, predicate: object) => ({
  _type: 'https://in-toto.io/Statement/v0.1',
  predicateType,
  subject: [{ name: 'r', digest: { sha256: digest.slice(7) } }],
  predicate,
});
const sbom: Predicate = {
  ...PREDICATE_TYPES.spdx,
  label: 'linux/amd64',
  predicate: { spdxVersion: 'SPDX-2.3', name: 'x', packages: [] },
};

describe('an attestation already there is not added again', () => {
  // cosign prints one envelope per line, with its notes between them; it sorts the predicate's keys.
  const output = [
    'Verification for r --',
    envelope(statement(DIGEST, sbom.uri, { packages: [], name: 'x', spdxVersion: 'SPDX-2.3' })),
    envelope(statement(DIGEST, PREDICATE_TYPES.slsa.uri, { buildDefinition: {} })),
  ].join('\n');

  test.each([
    ['the same predicate on the same digest', DIGEST, sbom, true],
    ['on another digest', OTHER, sbom, false],
    [
      'another predicate of the type',
      DIGEST,
      { ...sbom, predicate: { ...(sbom.predicate as object), name: 'y' } },
      false,
    ],
    ['the same value under another type', DIGEST, { ...sbom, uri: 'https://example.invalid/other' }, false],
  ])('%s: %s', (_, digest, p, there) => {
    expect(alreadyAttested(statementsOf(output), digest, p)).toBe(there);
  });

  test('lines that are not envelopes are skipped', () => {
    expect(statementsOf('not json\n{"payload":"bm90IGpzb24="}\n')).toEqual([]);
  });
});

describe('signed digests', () => {
  const payload = {
    critical: { image: { 'docker-manifest-digest': DIGEST }, type: 'cosign container image signature' },
  };
  test.each([
    ['`cosign verify --output json`', JSON.stringify([payload])],
    [
      '`cosign download signature`',
      JSON.stringify({ Payload: Buffer.from(JSON.stringify(payload)).toString('base64') }),
    ],
  ])('read from %s', (_, out) => {
    expect(signedDigests(`${out}\n`)).toEqual([DIGEST]);
  });
  test('none in an empty answer', () => expect(signedDigests('')).toEqual([]));
});
