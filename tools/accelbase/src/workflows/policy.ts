// `k8s --policy`: an admission policy for an image's repository that requires its signature and its
// signed SPDX SBOM, trusting a given public key, a keyless identity, or the run's signing key.
import { readFileSync } from 'node:fs';
import type { Run } from '../config/run-config.js';
import { UserError } from '../errors.js';
import { resolveImage } from '../pick/resolve.js';
import { admissionPolicy, type PolicyKind, type PolicyTrust } from '../sign/policy.js';
import { openSigning } from '../sign/sign.js';
import { publicKeyDer, signerOf } from '../sign/signer.js';
import type { OpenWorkspace } from './workspace.js';

export interface PolicyRequest {
  ref: string;
  kind: PolicyKind;
  publicKeyFile?: string;
  identity?: string;
  issuer?: string;
}

/** The trust the policy carries: `--public-key F`, `--identity`/`--issuer`, else ACCELBASE_SIGNING_KEY's public half. */
async function policyTrust(r: PolicyRequest, run: Run): Promise<PolicyTrust> {
  if (r.publicKeyFile && (r.identity || r.issuer))
    throw new UserError('--public-key trusts a key; --identity and --issuer a keyless signer: give one of them', 2);
  if (r.publicKeyFile) {
    let pem: string;
    try {
      pem = readFileSync(r.publicKeyFile, 'utf8');
    } catch (e) {
      throw new UserError(
        `--public-key ${r.publicKeyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (!publicKeyDer(pem))
      throw new UserError(`--public-key ${r.publicKeyFile}: no PEM public key (-----BEGIN PUBLIC KEY-----) in it`);
    return { publicKey: pem };
  }
  if (r.identity || r.issuer) {
    if (!r.identity || !r.issuer) throw new UserError('a keyless policy needs both --identity and --issuer', 2);
    return { identity: r.identity, issuer: r.issuer };
  }
  const signer = signerOf(run.config.signingKey);
  if (!signer || signer.kind === 'keyless')
    throw new UserError(
      'k8s --policy: give --public-key F (or --identity I --issuer S), or set ACCELBASE_SIGNING_KEY to the signing key',
      2,
    );
  const session = await openSigning(signer, run.config.engineHome);
  try {
    return { publicKey: session.publicKey! };
  } finally {
    session.dispose();
  }
}

/** The policy object for the image's repository. */
export async function policyWorkspace(ws: OpenWorkspace, r: PolicyRequest, run: Run): Promise<object> {
  const { image } = resolveImage(ws.plan, ws.model, r.ref);
  return admissionPolicy(r.kind, image.repository, await policyTrust(r, run));
}
