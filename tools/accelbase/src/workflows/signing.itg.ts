// Engine tier: signed images against the local registry, with Debian's cosign (the engine prefix's,
// else one on PATH) as the verifier. minideb trixie for linux/amd64 is pushed without a key, then
// rebuilt without cache with a key of the test's own: the same digest, now signed, with its SPDX SBOM
// and SLSA provenance attested, beside the unsigned SBOM referrers of its platform manifest. A foreign
// key is refused, a second signing adds nothing, and a tag moved to another digest fails verification.
// Run after `accelbase engine up` (which provisions cosign); it uses the engine as it finds it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireEngine } from '../engine/engine.js';
import { run } from '../exec.js';
import { getManifest, listReferrers, putManifest, send, splitRepository } from '../oci/registry.js';
import { byDigest, splitTag } from '../oci/reference.js';
import { cosignBinary } from '../sign/cosign.js';
import { cosignTag } from '../sign/stored.js';
import { repoRoot } from '../test/clone.js';
import { envConfig } from '../test/run-config.js';

const RUN = Date.now().toString(36);
// Under ACCELBASE_REGISTRY's namespace where one is set (a shared registry), else a namespace of its own.
const NAMESPACE = `${envConfig().registry ?? '127.0.0.1:5000'}/itgsign${RUN}`;
const IMAGE = 'minideb-trixie';
/** minideb trixie's most specific floating tag, which `show` and `k8s` name by default. */
const FLOATING = '13';
const PASSWORD = 'itg-signing-password';
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const cosign = cosignBinary(envConfig().engineHome);

const keys = mkdtempSync(join(tmpdir(), 'accelbase-itg-sign-'));
const key = (name: string) => join(keys, `${name}.key`);
const pub = (name: string) => join(keys, `${name}.pub`);

/** The CLI with `env` over this process's: no signing key unless one is given. */
const accelbase = (env: Record<string, string>, ...args: string[]) =>
  run('node', [bin, ...args, '--registry', NAMESPACE], {
    cwd: repoRoot,
    env: { ACCELBASE_SIGNING_KEY: '', COSIGN_PASSWORD: PASSWORD, ...env },
    allowFailure: true,
    timeoutMs: 30 * 60_000,
  });
const signed = { ACCELBASE_SIGNING_KEY: key('ours') };
const runCosign = (...args: string[]) =>
  run(cosign, args, { env: { COSIGN_PASSWORD: PASSWORD }, allowFailure: true, timeoutMs: 5 * 60_000 });

interface Result {
  image: string;
  status: string;
  digest: string;
  tags: string[];
  sboms?: Record<string, { subject: string }>;
  signed?: { by: string; added: string[]; present: string[] };
}

const resultOf = (stdout: string): Result => {
  const results = JSON.parse(stdout).results as Result[];
  return results.find((r) => r.image === IMAGE)!;
};

/** How many signatures and attestations cosign's tags hold for a digest. */
async function artifactCounts(repository: string, digest: string): Promise<{ sig: number; att: number }> {
  const count = async (tag: string) =>
    ((await getManifest(repository, tag).catch(() => undefined))?.body as { layers?: unknown[] } | undefined)?.layers
      ?.length ?? 0;
  return { sig: await count(cosignTag(digest, 'sig')), att: await count(cosignTag(digest, 'att')) };
}

/** A manifest's bytes and media type as the registry serves them. */
async function rawManifest(repository: string, reference: string) {
  const { base, name } = splitRepository(repository);
  const res = await send(`${base}/v2/${name}/manifests/${reference}`, {
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return { mediaType: res.headers.get('content-type')!, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Point `tag` at `digest`, as publish moves a floating tag. */
async function moveTag(repository: string, tag: string, digest: string): Promise<void> {
  const m = await rawManifest(repository, digest);
  await putManifest(repository, tag, m.mediaType, m.bytes);
}

const timings: Record<string, number> = {};
const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round((performance.now() - start) / 100) / 10;
  }
};

beforeAll(async () => {
  await requireEngine(envConfig());
  for (const name of ['ours', 'foreign']) {
    const r = await run(cosign, ['generate-key-pair', '--output-key-prefix', join(keys, name)], {
      env: { COSIGN_PASSWORD: PASSWORD },
      timeoutMs: 60_000,
    });
    expect(r.exitCode).toBe(0);
  }
});

afterAll(() => {
  rmSync(keys, { recursive: true, force: true });
  console.log(`signing.itg wall times (s): ${JSON.stringify(timings)}`);
});

describe('signed images and attestations (minideb trixie, linux/amd64)', () => {
  let unsigned: Result;
  let first: Result;
  let repository: string;
  let ref: string;

  test('without a key nothing is signed, and the output says so once', async () => {
    const r = await timed('unsigned build', () =>
      accelbase({}, 'build', IMAGE, '--platform', 'linux/amd64', '--push', '--json'),
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    unsigned = resultOf(r.stdout);
    repository = unsigned.tags[0].slice(0, unsigned.tags[0].lastIndexOf(':'));
    expect(r.stderr.match(/ACCELBASE_SIGNING_KEY is not set/g)).toHaveLength(1);
    expect(unsigned.signed).toBeUndefined();
    expect(await artifactCounts(repository, unsigned.digest)).toEqual({ sig: 0, att: 0 });
  });

  test('a key that cannot be used fails the build before anything is baked', async () => {
    const r = await accelbase(
      { ...signed, COSIGN_PASSWORD: 'wrong' },
      'build',
      IMAGE,
      '--platform',
      'linux/amd64',
      '--push',
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/signing key .* cannot be used/);
    expect(r.stderr).not.toMatch(/==> minideb-trixie/);
  });

  test('rebuilt without cache with a key: the same digest, signed, SBOM and provenance attested', async () => {
    const r = await timed('signed build (no cache)', () =>
      accelbase(signed, 'build', IMAGE, '--platform', 'linux/amd64', '--push', '--no-cache', '--json'),
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    first = resultOf(r.stdout);
    ref = byDigest(repository, first.digest);
    expect(first.digest).toBe(unsigned.digest);
    expect(first.signed?.added).toEqual(['signature', 'spdxjson (linux/amd64)', 'slsaprovenance1 (provenance)']);
    expect(await artifactCounts(repository, first.digest)).toEqual({ sig: 1, att: 2 });
    // A one-platform push is its own manifest: the unsigned SBOM referrer names the same digest.
    expect(first.sboms?.['linux/amd64']?.subject).toBe(first.digest);
    // What publish does: the floating tag names the signed digest.
    await moveTag(repository, FLOATING, first.digest);
  });

  test.each([
    ['verify', []],
    ['verify-attestation', ['--type', 'spdxjson']],
    ['verify-attestation', ['--type', 'slsaprovenance1']],
  ])("Debian's cosign %s %s passes with our key, beside the unsigned SBOM referrer", async (command, args) => {
    const r = await timed(`cosign ${command} ${args.join(' ')}`, () =>
      runCosign(command, '--key', pub('ours'), '--insecure-ignore-tlog=true', ...args, ref),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    // Both formats on one digest: cosign's .sig/.att tags and the referrers tag oras discover reads.
    const { index } = await listReferrers(repository, first.digest);
    expect(index.manifests?.map((m) => m.artifactType)).toContain('application/spdx+json');
  });

  test.each([
    ['verify', []],
    ['verify-attestation', ['--type', 'spdxjson']],
  ])('a foreign key is refused by cosign %s', async (command, args) => {
    const r = await runCosign(command, '--key', pub('foreign'), '--insecure-ignore-tlog=true', ...args, ref);
    expect(r.exitCode).not.toBe(0);
  });

  test('accelbase verify --signature: every check passes with our key, none with a foreign one', async () => {
    const tag = splitTag(first.tags[0]).tag!;
    expect(tag).toMatch(/^trixie-\d{8}$/);
    const ours = await timed('accelbase verify --signature', () =>
      accelbase(signed, 'verify', `${IMAGE}:${tag}`, '--signature', '--json'),
    );
    expect(ours.exitCode, ours.stderr.slice(-2000)).toBe(0);
    const verdict = JSON.parse(ours.stdout);
    expect(verdict.checks.map((c: { name: string; ok: boolean }) => `${c.name} ${c.ok}`)).toEqual([
      'signature true',
      'spdxjson true',
      'slsaprovenance1 true',
    ]);
    const foreign = await accelbase({}, 'verify', `${IMAGE}:${tag}`, '--signature', '--key', pub('foreign'));
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stdout).toMatch(/signature: FAILED/);
  });

  test('show --signature names the key; k8s --policy kyverno carries its public key', async () => {
    const show = await accelbase(signed, 'show', IMAGE, '--signature');
    expect(show.exitCode, show.stderr.slice(-2000)).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`signed by key ${key('ours')} \\(sha256:[0-9a-f]{64}\\)`));
    expect(show.stdout).toContain('attestation: https://spdx.dev/Document');
    const policy = await accelbase(signed, 'k8s', IMAGE, '--policy', 'kyverno');
    expect(policy.exitCode, policy.stderr.slice(-2000)).toBe(0);
    const pem = readFileSync(pub('ours'), 'utf8').trim().split('\n')[1];
    expect(policy.stdout).toContain(pem);
    expect(policy.stdout).toContain('type: https://spdx.dev/Document');
  });

  test('signing the same digest again adds nothing', async () => {
    const before = await artifactCounts(repository, first.digest);
    const r = await timed('signed build again (reused)', () =>
      accelbase(signed, 'build', IMAGE, '--platform', 'linux/amd64', '--push', '--json'),
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const again = resultOf(r.stdout);
    expect(again.digest).toBe(first.digest);
    expect(again.signed).toMatchObject({ added: [] });
    expect(again.signed?.present).toHaveLength(3);
    expect(await artifactCounts(repository, first.digest)).toEqual(before);
  });

  test('a tag moved to another digest fails verification', async () => {
    // Another digest nobody signed: the same image manifest with an annotation more.
    const m = await rawManifest(repository, first.digest);
    const other = JSON.parse(Buffer.from(m.bytes).toString('utf8'));
    other.annotations = { ...other.annotations, 'org.example.moved': 'yes' };
    const moved = await putManifest(repository, FLOATING, m.mediaType, new TextEncoder().encode(JSON.stringify(other)));
    expect(moved.digest).not.toBe(first.digest);
    const byTag = await runCosign(
      'verify',
      '--key',
      pub('ours'),
      '--insecure-ignore-tlog=true',
      `${repository}:${FLOATING}`,
    );
    expect(byTag.exitCode).not.toBe(0);
    const r = await accelbase(signed, 'verify', `${IMAGE}:${FLOATING}`, '--signature');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(moved.digest);
    expect(r.stdout).toMatch(/signature: FAILED/);
  });
});
