// cosign, as accelbase runs it: the engine prefix's (Debian's package), else one on PATH (CI installs
// its own). Keyed signing never uploads to a transparency log, so checking needs only the registry;
// keyless signing (CI) uses Fulcio and Rekor as cosign does by default.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enginePaths, prefixPathDirs } from '../engine/paths.js';
import { UserError } from '../errors.js';
import { run, tail, type RunResult } from '../exec.js';
import type { Signer, Verifier } from './signer.js';

/** cosign's signing of a digest and its checks take seconds; a registry that hangs fails the step. */
const TIMEOUT_MS = 5 * 60_000;

/** The engine prefix's cosign when `engine up` provisioned it, else `cosign` on PATH. */
export function cosignBinary(engineHome: string): string {
  for (const dir of prefixPathDirs(enginePaths(engineHome).prefix)) {
    const p = join(dir, 'cosign');
    if (existsSync(p)) return p;
  }
  return 'cosign';
}

const cosign = (bin: string, args: string[]): Promise<RunResult> =>
  run(bin, args, { allowFailure: true, timeoutMs: TIMEOUT_MS });

function failed(what: string, r: RunResult): UserError {
  const said = tail(r.stderr || r.stdout, 6);
  // Nothing said at all: no cosign ran (not on PATH and not in the engine prefix).
  return new UserError(
    `${what}: ${said ? `cosign failed: ${said}` : 'cosign did not run: `accelbase engine up` provisions it into the engine prefix, or put cosign on PATH'}`,
  );
}

/** `cosign sign`/`attest` flags for a signer: a key without the transparency log, or keyless. */
export const signerArgs = (s: Signer): string[] => (s.kind === 'key' ? ['--key', s.key, '--tlog-upload=false'] : []);

/** `cosign verify*` flags for a verifier: a key (no transparency log: keyed signing skips it), or an identity. */
export const verifierArgs = (v: Verifier): string[] =>
  v.kind === 'key'
    ? ['--key', v.key, '--insecure-ignore-tlog=true']
    : ['--certificate-identity', v.identity, '--certificate-oidc-issuer', v.issuer];

/** The PEM public key of a signing key (file or KMS URI): proves the key is usable (its password too). */
export async function publicKeyPem(bin: string, key: string): Promise<string> {
  const r = await cosign(bin, ['public-key', '--key', key]);
  if (r.exitCode !== 0 || !r.stdout.includes('BEGIN PUBLIC KEY'))
    throw failed(`signing key ${key} cannot be used (is COSIGN_PASSWORD set?)`, r);
  return r.stdout;
}

export async function signDigest(bin: string, ref: string, signer: Signer): Promise<void> {
  const r = await cosign(bin, ['sign', ...signerArgs(signer), '--yes', ref]);
  if (r.exitCode !== 0) throw failed(`signing ${ref}`, r);
}

/** `cosign attest --type T --predicate FILE`: one signed in-toto statement about `ref`. */
export async function attestDigest(
  bin: string,
  ref: string,
  signer: Signer,
  type: string,
  predicate: unknown,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-attest-'));
  try {
    const file = join(dir, 'predicate.json');
    writeFileSync(file, JSON.stringify(predicate));
    const r = await cosign(bin, ['attest', ...signerArgs(signer), '--yes', '--type', type, '--predicate', file, ref]);
    if (r.exitCode !== 0) throw failed(`attesting ${type} on ${ref}`, r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A check's answer: whether it passed, what it printed (JSON lines), and cosign's reason when not. */
export interface CheckResult {
  ok: boolean;
  stdout: string;
  reason?: string;
}

const checked = (r: RunResult): CheckResult =>
  r.exitCode === 0 ? { ok: true, stdout: r.stdout } : { ok: false, stdout: '', reason: tail(r.stderr || r.stdout, 3) };

/** `cosign verify`: the signature payloads that verify (a JSON array), or why none does. */
export async function verifySignature(bin: string, ref: string, v: Verifier): Promise<CheckResult> {
  return checked(await cosign(bin, ['verify', ...verifierArgs(v), '--output', 'json', ref]));
}

/** `cosign verify-attestation --type T`: the verified DSSE envelopes of that type, one per line. */
export async function verifyAttestation(bin: string, ref: string, v: Verifier, type: string): Promise<CheckResult> {
  return checked(await cosign(bin, ['verify-attestation', ...verifierArgs(v), '--type', type, ref]));
}

/** `cosign download attestation`: every attestation envelope, unverified (keyless runs compare payloads). */
export async function downloadAttestations(bin: string, ref: string, predicateUri: string): Promise<CheckResult> {
  return checked(await cosign(bin, ['download', 'attestation', '--predicate-type', predicateUri, ref]));
}

/** `cosign download signature`: every signature, unverified, one JSON object per line. */
export async function downloadSignatures(bin: string, ref: string): Promise<CheckResult> {
  return checked(await cosign(bin, ['download', 'signature', ref]));
}
