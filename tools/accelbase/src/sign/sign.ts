// Signing a pushed index and attesting what accelbase knows about it, once: what is already there
// (verified with the signing key, or for keyless signing compared by payload) is not signed again.
// Signatures and attestations are separate artifacts naming the digest (cosign's `.sig` and `.att`
// tags); the image itself is never touched, so its digest is the same with or without a key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byDigest } from '../oci/reference.js';
import {
  attestDigest,
  cosignBinary,
  downloadAttestations,
  downloadSignatures,
  publicKeyPem,
  signDigest,
  verifyAttestation,
  verifySignature,
} from './cosign.js';
import { alreadyAttested, signedDigests, statementsOf, type Predicate } from './predicates.js';
import { describeSigner, keyFingerprint, type Signer, type Verifier } from './signer.js';

/** A signer made ready before anything is baked: cosign found, the key proven usable. */
export interface SigningSession {
  bin: string;
  signer: Signer;
  /** What is already there is checked against this: the key's public half; undefined for keyless. */
  verifier?: Verifier;
  /** The output's name for the signer: the key (file or URI) and its public key's fingerprint. */
  by: string;
  /** The public key's PEM (keyed signing only). */
  publicKey?: string;
  dispose(): void;
}

/** Find cosign and prove the key usable (`cosign public-key`, its password included); throws UserError. */
export async function openSigning(signer: Signer, engineHome: string): Promise<SigningSession> {
  const bin = cosignBinary(engineHome);
  if (signer.kind === 'keyless') return { bin, signer, by: describeSigner(signer), dispose: () => {} };
  const pem = await publicKeyPem(bin, signer.key);
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-sign-'));
  const pub = join(dir, 'cosign.pub');
  writeFileSync(pub, pem);
  return {
    bin,
    signer,
    verifier: { kind: 'key', key: pub },
    by: `${signer.key} (${keyFingerprint(pem)})`,
    publicKey: pem,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What signing one digest did: each artifact added, or found already there. */
export interface SignOutcome {
  by: string;
  added: string[];
  present: string[];
}

async function signatureThere(s: SigningSession, ref: string, digest: string): Promise<boolean> {
  const r = s.verifier ? await verifySignature(s.bin, ref, s.verifier) : await downloadSignatures(s.bin, ref);
  return r.ok && signedDigests(r.stdout).includes(digest);
}

async function attestationThere(s: SigningSession, ref: string, digest: string, p: Predicate): Promise<boolean> {
  const r = s.verifier
    ? await verifyAttestation(s.bin, ref, s.verifier, p.type)
    : await downloadAttestations(s.bin, ref, p.uri);
  return r.ok && alreadyAttested(statementsOf(r.stdout), digest, p);
}

/** Sign `repository@digest` and attest each predicate on it, skipping what is already there. */
export async function signAndAttest(
  s: SigningSession,
  repository: string,
  digest: string,
  predicates: readonly Predicate[],
): Promise<SignOutcome> {
  const ref = byDigest(repository, digest);
  const out: SignOutcome = { by: s.by, added: [], present: [] };
  if (await signatureThere(s, ref, digest)) out.present.push('signature');
  else {
    await signDigest(s.bin, ref, s.signer);
    out.added.push('signature');
  }
  for (const p of predicates) {
    const name = `${p.type} (${p.label})`;
    if (await attestationThere(s, ref, digest, p)) out.present.push(name);
    else {
      await attestDigest(s.bin, ref, s.signer, p.type, p.predicate);
      out.added.push(name);
    }
  }
  return out;
}
