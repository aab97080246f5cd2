import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { admissionPolicy, policyName, policyYaml, repositoryPatterns } from './policy.js';

// A made-up P-256 public key (the shape cosign writes); no real signer holds it.
const PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJ3q6lq0uX7x1Zpq5wq3Y4mY7m4aH
5Kq9oL9s2XqZ8ZbqgN5B0mWq3nZf3k3k7yZbqgN5B0mWq3nZf3k3k7yZbqgN5A==
-----END PUBLIC KEY-----
`;
const REPO = '127.0.0.1:5000/acme/opencl-pocl';
const SPDX = 'https://spdx.dev/Document';

describe('the policy names the repository, by tag and by digest', () => {
  test.each([
    ['127.0.0.1:5000/acme/opencl-pocl', 'accelbase-opencl-pocl-signed'],
    ['ghcr.io/acme/CUDA_runtime', 'accelbase-cuda-runtime-signed'],
  ])('%s is %s', (repo, name) => {
    expect(policyName(repo)).toBe(name);
    expect(repositoryPatterns(repo)).toEqual([`${repo}:*`, `${repo}@*`]);
  });
});

describe('Kyverno ClusterPolicy', () => {
  const policy = parse(policyYaml(admissionPolicy('kyverno', REPO, { publicKey: PEM })));
  const rule = policy.spec.rules[0];
  const verify = rule.verifyImages[0];

  test('is a ClusterPolicy that enforces on Pods', () => {
    expect(policy).toMatchObject({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' });
    expect(policy.spec.validationFailureAction).toBe('Enforce');
    expect(rule.match).toEqual({ any: [{ resources: { kinds: ['Pod'] } }] });
    expect(verify).toMatchObject({ imageReferences: [`${REPO}:*`, `${REPO}@*`], required: true, verifyDigest: true });
  });

  test('requires the signature by the key, without a transparency log', () => {
    const key = verify.attestors[0].entries[0].keys;
    expect(verify.attestors[0].count).toBe(1);
    expect(key.publicKeys).toBe(PEM.trim());
    expect(key.rekor).toEqual({ ignoreTlog: true });
  });

  test('requires the SPDX SBOM attestation signed by the same key', () => {
    expect(verify.attestations).toHaveLength(1);
    expect(verify.attestations[0].type).toBe(SPDX);
    expect(verify.attestations[0].attestors[0].entries[0].keys.publicKeys).toBe(PEM.trim());
  });

  test('a keyless signer is trusted by identity and issuer', () => {
    const keyless = admissionPolicy('kyverno', REPO, {
      identity: 'https://id.example/wf',
      issuer: 'https://iss.example',
    });
    const entry = (keyless as ReturnType<typeof parse>).spec.rules[0].verifyImages[0].attestors[0].entries[0];
    expect(entry).toEqual({ keyless: { subject: 'https://id.example/wf', issuer: 'https://iss.example' } });
  });
});

describe('policy-controller ClusterImagePolicy', () => {
  const policy = parse(policyYaml(admissionPolicy('policy-controller', REPO, { publicKey: PEM })));

  test('matches the repository and enforces', () => {
    expect(policy).toMatchObject({ apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy' });
    expect(policy.spec.mode).toBe('enforce');
    expect(policy.spec.images).toEqual([{ glob: `${REPO}:*` }, { glob: `${REPO}@*` }]);
  });

  test('one key authority (no ctlog) that must also sign the SPDX SBOM', () => {
    expect(policy.spec.authorities).toHaveLength(1);
    const [authority] = policy.spec.authorities;
    expect(authority.key).toEqual({ data: PEM.trim(), hashAlgorithm: 'sha256' });
    expect(authority.ctlog).toBeUndefined();
    expect(authority.attestations).toEqual([{ name: 'spdx-sbom', predicateType: SPDX }]);
  });

  test('a keyless authority names the identity and issuer', () => {
    const p = admissionPolicy('policy-controller', REPO, { identity: 'I', issuer: 'S' }) as ReturnType<typeof parse>;
    expect(p.spec.authorities[0].keyless).toEqual({ identities: [{ issuer: 'S', subject: 'I' }] });
  });
});
