// Who signs and who is trusted: ACCELBASE_SIGNING_KEY read as cosign reads a key (a key file or a KMS
// URI), or `keyless` for the CI workflow's OIDC identity; and what a check trusts (a public key, or a
// certificate identity and issuer). Pure.
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';

/** How cosign signs: a key (file or KMS URI; COSIGN_PASSWORD is read by cosign itself), or keyless. */
export type Signer = { kind: 'key'; key: string } | { kind: 'keyless' };

/** What a check trusts: a public key (file or KMS URI), or a keyless certificate's identity and issuer. */
export type Verifier = { kind: 'key'; key: string } | { kind: 'identity'; identity: string; issuer: string };

/** The KMS and secret-store schemes cosign takes for `--key`. */
export const KMS_SCHEMES = ['awskms://', 'gcpkms://', 'azurekms://', 'hashivault://', 'k8s://', 'gitlab://', 'pkcs11:'];

/** The issuer of GitHub Actions' OIDC tokens: what keyless signatures from the workflows carry. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

export const isKmsUri = (key: string): boolean => KMS_SCHEMES.some((s) => key.startsWith(s));

/** ACCELBASE_SIGNING_KEY as a signer; undefined: nothing is signed. */
export function signerOf(signingKey: string | undefined): Signer | undefined {
  const key = signingKey?.trim();
  if (!key) return undefined;
  return key === 'keyless' ? { kind: 'keyless' } : { kind: 'key', key };
}

/** How the output names a signer, never a secret: the key's file or URI, or the workflow identity. */
export const describeSigner = (s: Signer): string => (s.kind === 'keyless' ? 'keyless (OIDC identity)' : s.key);

/** `--key K` or `--identity I --issuer S` from a command's flags; both or half of the second is refused. */
export function verifierFlags(flags: { key?: string; identity?: string; issuer?: string }): Verifier | undefined {
  if (flags.key && (flags.identity || flags.issuer))
    throw new UserError('--key checks a key signature; --identity and --issuer a keyless one: give one of them', 2);
  if (flags.key) return { kind: 'key', key: flags.key };
  if (flags.identity || flags.issuer) {
    if (!flags.identity || !flags.issuer)
      throw new UserError(
        `a keyless check needs both --identity and --issuer (GitHub Actions: --issuer ${GITHUB_ACTIONS_ISSUER})`,
        2,
      );
    return { kind: 'identity', identity: flags.identity, issuer: flags.issuer };
  }
  return undefined;
}

/** The DER bytes of a PEM public key; undefined when the text holds none. */
export function publicKeyDer(pem: string): Buffer | undefined {
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem);
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64') : undefined;
}

/** A public key's fingerprint as the output and show name it: sha256 of its DER bytes. */
export function keyFingerprint(pem: string): string {
  const der = publicKeyDer(pem);
  if (!der) throw new UserError('not a PEM public key (-----BEGIN PUBLIC KEY-----)');
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}
