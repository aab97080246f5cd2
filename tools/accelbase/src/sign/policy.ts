// Admission policies that require an image's signature and its signed SPDX SBOM before a Pod runs it:
// Kyverno's ClusterPolicy (verifyImages with attestors and attestations) and sigstore policy-controller's
// ClusterImagePolicy. Both trust one public key, or one keyless identity and issuer. Pure.
import { stringify } from 'yaml';
import { PREDICATE_TYPES } from './predicates.js';

export const POLICY_KINDS = ['kyverno', 'policy-controller'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Whom the policy trusts: the public key's PEM text, or a keyless certificate identity and issuer. */
export type PolicyTrust = { publicKey: string } | { identity: string; issuer: string };

/** Every reference of the repository, by tag or by digest, and nothing of a repository that merely starts alike. */
export const repositoryPatterns = (repository: string): string[] => [`${repository}:*`, `${repository}@*`];

/** A Kubernetes object name from the repository's last part: `accelbase-<name>-signed`. */
export const policyName = (repository: string): string =>
  `accelbase-${repository
    .slice(repository.lastIndexOf('/') + 1)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)}-signed`;

/** Kyverno's attestor entry: a key (keyed signing skips the transparency log) or a keyless identity. */
function kyvernoAttestor(trust: PolicyTrust) {
  if ('publicKey' in trust)
    return {
      entries: [
        { keys: { publicKeys: trust.publicKey.trim(), rekor: { ignoreTlog: true }, ctlog: { ignoreSCT: true } } },
      ],
    };
  return { entries: [{ keyless: { subject: trust.identity, issuer: trust.issuer } }] };
}

/** Kyverno ClusterPolicy: Pods whose images are in the repository need the signature and the SPDX attestation. */
export function kyvernoPolicy(repository: string, trust: PolicyTrust) {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: policyName(repository),
      annotations: { 'policies.kyverno.io/description': `${repository}: signed, with a signed SPDX SBOM` },
    },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'signature-and-sbom',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              imageReferences: repositoryPatterns(repository),
              mutateDigest: true,
              verifyDigest: true,
              required: true,
              attestors: [{ count: 1, ...kyvernoAttestor(trust) }],
              attestations: [{ type: PREDICATE_TYPES.spdx.uri, attestors: [kyvernoAttestor(trust)] }],
            },
          ],
        },
      ],
    },
  };
}

/** policy-controller ClusterImagePolicy: one authority (the key or the identity) that must sign the image and its SBOM. */
export function policyControllerPolicy(repository: string, trust: PolicyTrust) {
  const authority =
    'publicKey' in trust
      ? // No ctlog: a key authority then checks no transparency log, as keyed signing uploads to none.
        { name: 'accelbase-key', key: { data: trust.publicKey.trim(), hashAlgorithm: 'sha256' } }
      : { name: 'accelbase-keyless', keyless: { identities: [{ issuer: trust.issuer, subject: trust.identity }] } };
  return {
    apiVersion: 'policy.sigstore.dev/v1beta1',
    kind: 'ClusterImagePolicy',
    metadata: { name: policyName(repository) },
    spec: {
      mode: 'enforce',
      images: repositoryPatterns(repository).map((glob) => ({ glob })),
      authorities: [{ ...authority, attestations: [{ name: 'spdx-sbom', predicateType: PREDICATE_TYPES.spdx.uri }] }],
    },
  };
}

export function admissionPolicy(kind: PolicyKind, repository: string, trust: PolicyTrust) {
  return kind === 'kyverno' ? kyvernoPolicy(repository, trust) : policyControllerPolicy(repository, trust);
}

/** YAML for `kubectl apply -f -`; the key's PEM stays a block scalar. */
export const policyYaml = (policy: object): string => stringify(policy, { lineWidth: 0 });
