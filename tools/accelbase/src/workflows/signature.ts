// `verify --signature` and `show --signature`: an image's signature and attestations, checked with
// cosign against a key or a keyless identity (the check), or read from the registry as they are
// stored (what show says). The signing key of this run is the default key for both.
import type { Run } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { getManifest, listTags } from '../oci/registry.js';
import { byDigest } from '../oci/reference.js';
import { resolveImage } from '../pick/resolve.js';
import { cosignBinary, verifyAttestation, verifySignature } from '../sign/cosign.js';
import { PREDICATE_TYPES, signedDigests, statementsOf } from '../sign/predicates.js';
import { openSigning } from '../sign/sign.js';
import { keyFingerprint, signerOf, type Verifier } from '../sign/signer.js';
import { cosignTag, storedPredicateTypes, storedSignature, type StoredSignature } from '../sign/stored.js';
import type { OpenWorkspace } from './workspace.js';

export interface SignatureCheck {
  /** `signature`, or the predicate type cosign checked (spdxjson, slsaprovenance1). */
  name: string;
  ok: boolean;
  /** How many signatures or attestations verified. */
  verified: number;
  reason?: string;
}

export interface SignatureVerdict {
  image: string;
  reference: string;
  digest: string;
  /** The key (and its fingerprint) or the identity and issuer checked against. */
  trusted: string;
  checks: SignatureCheck[];
  ok: boolean;
}

/** The image's repository, tag and the digest the tag names now. */
async function resolveDigest(ws: OpenWorkspace, ref: string) {
  const { image, tag } = resolveImage(ws.plan, ws.model, ref, { buildTags: true });
  const { digest } = await getManifest(image.repository, tag);
  if (!digest) throw new UserError(`${image.repository}:${tag}: the registry did not say its digest`);
  return { image, reference: `${image.repository}:${tag}`, digest };
}

/** The verifier asked for, else the run's signing key's public half; a `dispose` for the temporary key file. */
async function chosenVerifier(
  asked: Verifier | undefined,
  run: Run,
): Promise<{ verifier: Verifier; trusted: string; dispose: () => void }> {
  if (asked)
    return {
      verifier: asked,
      trusted: asked.kind === 'key' ? asked.key : `${asked.identity} (issuer ${asked.issuer})`,
      dispose: () => {},
    };
  const signer = signerOf(run.config.signingKey);
  if (!signer || signer.kind === 'keyless')
    throw new UserError(
      'verify --signature: give --key FILE|URI, or --identity I --issuer S for a keyless signature (or set ACCELBASE_SIGNING_KEY to a key)',
      2,
    );
  const session = await openSigning(signer, run.config.engineHome);
  return { verifier: session.verifier!, trusted: session.by, dispose: session.dispose };
}

/** The signature and every attestation type accelbase signs, each checked with cosign against the digest the tag names. */
export async function verifySignatures(
  ws: OpenWorkspace,
  ref: string,
  asked: Verifier | undefined,
  run: Run,
): Promise<SignatureVerdict> {
  const { image, reference, digest } = await resolveDigest(ws, ref);
  const { verifier, trusted, dispose } = await chosenVerifier(asked, run);
  const bin = cosignBinary(run.config.engineHome);
  const target = byDigest(image.repository, digest);
  try {
    run.reporter.step(`verify ${reference} (${digest}): signature and attestations against ${trusted}`);
    const checks: SignatureCheck[] = [];
    const sig = await verifySignature(bin, target, verifier);
    const signed = signedDigests(sig.stdout).filter((d) => d === digest).length;
    checks.push({
      name: 'signature',
      ok: sig.ok && signed > 0,
      verified: signed,
      ...(sig.reason ? { reason: sig.reason } : {}),
    });
    for (const p of Object.values(PREDICATE_TYPES)) {
      const r = await verifyAttestation(bin, target, verifier, p.type);
      const n = statementsOf(r.stdout).filter((s) => s.predicateType === p.uri).length;
      checks.push({ name: p.type, ok: r.ok && n > 0, verified: n, ...(r.reason ? { reason: r.reason } : {}) });
    }
    return { image: image.name, reference, digest, trusted, checks, ok: checks.every((c) => c.ok) };
  } finally {
    dispose();
  }
}

export interface SignatureStatus {
  reference: string;
  digest: string;
  signed: boolean;
  signatures: StoredSignature[];
  /** The predicate types attested on the digest, one per attestation. */
  attestations: string[];
  /** The run's signing key, when one is set and its signature verifies: the key and its fingerprint. */
  signedByConfiguredKey?: string;
}

const layersOf = async (repository: string, tag: string, tags: readonly string[]) =>
  tags.includes(tag)
    ? (((await getManifest(repository, tag)).body as { layers?: { annotations?: Record<string, string> }[] }).layers ??
      [])
    : [];

/** What the registry holds for the digest the tag names: signatures (by key or identity) and attestations. */
export async function signatureStatus(ws: OpenWorkspace, ref: string, run: Run): Promise<SignatureStatus> {
  const { image, reference, digest } = await resolveDigest(ws, ref);
  const tags = await listTags(image.repository);
  const signatures = (await layersOf(image.repository, cosignTag(digest, 'sig'), tags)).map(storedSignature);
  const attestations = storedPredicateTypes(await layersOf(image.repository, cosignTag(digest, 'att'), tags));
  const status: SignatureStatus = { reference, digest, signed: signatures.length > 0, signatures, attestations };
  const signer = signerOf(run.config.signingKey);
  if (status.signed && signer?.kind === 'key') {
    const session = await openSigning(signer, run.config.engineHome);
    try {
      const r = await verifySignature(session.bin, byDigest(image.repository, digest), session.verifier!);
      if (r.ok && signedDigests(r.stdout).includes(digest))
        status.signedByConfiguredKey = `${signer.key} (${keyFingerprint(session.publicKey!)})`;
    } finally {
      session.dispose();
    }
  }
  return status;
}
