import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { isKmsUri, keyFingerprint, signerOf, verifierFlags } from './signer.js';

describe('ACCELBASE_SIGNING_KEY', () => {
  test.each([
    [undefined, undefined],
    ['  ', undefined],
    ['keyless', { kind: 'keyless' }],
    ['/keys/cosign.key', { kind: 'key', key: '/keys/cosign.key' }],
    ['awskms:///alias/accelbase', { kind: 'key', key: 'awskms:///alias/accelbase' }],
  ])('%s signs as %o', (value, signer) => {
    expect(signerOf(value)).toEqual(signer);
  });

  test.each([
    ['gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k', true],
    ['hashivault://accelbase', true],
    ['./cosign.key', false],
  ])('%s is a KMS URI: %s', (key, kms) => expect(isKmsUri(key)).toBe(kms));
});

describe('--key, --identity and --issuer', () => {
  test.each([
    [{}, undefined],
    [{ key: 'cosign.pub' }, { kind: 'key', key: 'cosign.pub' }],
    [
      { identity: 'I', issuer: 'S' },
      { kind: 'identity', identity: 'I', issuer: 'S' },
    ],
  ])('%o checks against %o', (flags, verifier) => expect(verifierFlags(flags)).toEqual(verifier));

  test.each([[{ key: 'k', identity: 'I' }], [{ identity: 'I' }], [{ issuer: 'S' }]])('%o is refused', (flags) => {
    expect(() => verifierFlags(flags)).toThrow(UserError);
  });
});

test("a key's fingerprint is the sha256 of its DER bytes, whatever the PEM's line breaks", () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const der = publicKey.export({ type: 'spki', format: 'der' });
  expect(keyFingerprint(pem)).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
  expect(keyFingerprint(pem.replace(/\n/g, '\r\n'))).toBe(keyFingerprint(pem));
  expect(() => keyFingerprint('not a key')).toThrow(UserError);
});
