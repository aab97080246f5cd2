// Engine tier: the registry is the source of truth for published images. Clone A builds and pushes
// opencl-pocl for linux/amd64 and linux/arm64 (arm64 under qemu) into a namespace of its own and
// smoke-tests it, which attaches each outcome to the platform manifest it tested. A fresh clone B,
// with no .accelbase/ at all, then asks show, sbom, docs and tags with --registry and gets the
// published digests, the installed package counts (from the SBOM referrers) and the smoke outcomes.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';
import { cloneRepo, shareRootfs, workspaceCli } from '../test/clone.js';
import { envConfig, itgRegistry } from '../test/run-config.js';

const REGISTRY = itgRegistry(`h7-${Date.now().toString(36)}`);
const IMAGE = 'opencl-pocl';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

let a = '';
let b = '';
const inA = workspaceCli(() => a);
const inB = workspaceCli(() => b);

beforeAll(async () => {
  await engineUp(envConfig());
  a = cloneRepo('accelbase-published-a-');
  shareRootfs(a, 'trixie', ['amd64', 'arm64']);
}, 120_000);

afterAll(() => {
  for (const dir of [a, b]) if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Published {
  ref: string;
  digest: string | null;
  platforms: Record<string, { digest: string; size: number; packageCount: number | null; smoke: string | null }>;
}

test(
  'a fresh clone reads digests, package counts and smoke outcomes per platform from the registry',
  async () => {
    const started = performance.now();
    const built = await inA('build', IMAGE, '--push', '--registry', REGISTRY, '--json');
    expect(built.exitCode, built.stderr).toBe(0);
    const digest = (JSON.parse(built.stdout).results as { image: string; digest: string }[]).find(
      (r) => r.image === IMAGE,
    )!.digest;
    const smoked = await inA('smoke', IMAGE, '--registry', REGISTRY, '--json');
    expect(smoked.exitCode, smoked.stderr).toBe(0);
    const outcomes = Object.fromEntries(
      (JSON.parse(smoked.stdout).results as { platform: string; outcome: string }[]).map((r) => [
        r.platform,
        r.outcome,
      ]),
    );
    const builtS = (performance.now() - started) / 1000;

    b = cloneRepo('accelbase-published-b-');
    expect(existsSync(join(b, '.accelbase'))).toBe(false);
    const freshStart = performance.now();

    const show = await inB('show', IMAGE, '--registry', REGISTRY, '--json');
    expect(show.exitCode, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as {
      published: Published;
      installed: Record<string, Record<string, string> | null>;
      tested: { platform: string; outcome: string }[];
    };
    expect(shown.published.digest).toBe(digest);
    expect(Object.keys(shown.published.platforms).sort()).toEqual(PLATFORMS);
    for (const platform of PLATFORMS) {
      const p = shown.published.platforms[platform];
      expect(p.packageCount).toBeGreaterThan(50);
      expect(p.smoke).toMatch(new RegExp(`^${outcomes[platform]}`));
      expect(Object.keys(shown.installed[platform]!).length).toBe(p.packageCount);
    }
    expect(shown.tested.map((t) => `${t.platform} ${t.outcome}`).sort()).toEqual(
      PLATFORMS.map((p) => `${p} ${outcomes[p]}`),
    );
    const text = await inB('show', IMAGE, '--registry', REGISTRY);
    expect(text.stdout).toMatch(/published: +\S+@sha256:/);
    expect(text.stdout).not.toMatch(/not recorded yet/);

    const sbomFile = join(b, 'pocl.spdx.json');
    const sbom = await inB(
      'sbom',
      IMAGE,
      '--platform',
      'linux/arm64',
      '--registry',
      REGISTRY,
      '--output',
      sbomFile,
      '--json',
    );
    expect(sbom.exitCode, sbom.stderr).toBe(0);
    const summary = JSON.parse(sbom.stdout) as { packageCount: number; installedFrom: string; digest: string };
    expect(summary).toMatchObject({ installedFrom: 'registry', digest });
    expect(summary.packageCount).toBeGreaterThanOrEqual(shown.published.platforms['linux/arm64'].packageCount!);
    expect(JSON.parse(readFileSync(sbomFile, 'utf8')).spdxVersion).toBe('SPDX-2.3');

    const docs = await inB('docs', '--registry', REGISTRY, '--json');
    expect(docs.exitCode, docs.stderr).toBe(0);
    const facts = (JSON.parse(docs.stdout) as { facts: Record<string, Record<string, Record<string, unknown>>> }).facts;
    for (const platform of PLATFORMS)
      expect(facts[IMAGE][platform]).toMatchObject({
        status: outcomes[platform],
        built: { digest, from: 'registry' },
        packageCount: shown.published.platforms[platform].packageCount,
        sbom: expect.stringMatching(/\.spdx\.json$/),
      });
    // Never pushed to this namespace: unknown, not "not built".
    expect(facts['minideb-bookworm']['linux/amd64'].statusText).toBe('unknown (not in the registry)');

    const tags = await inB('tags', '--accelerator', 'opencl', '--variant', 'pocl', '--registry', REGISTRY, '--json');
    expect(tags.exitCode, tags.stderr).toBe(0);
    const [candidate] = (JSON.parse(tags.stdout) as { images: { name: string; published?: Published }[] }).images;
    expect(candidate.published?.digest).toBe(digest);
    expect(candidate.published?.platforms['linux/amd64'].packageCount).toBeGreaterThan(50);
    const freshS = (performance.now() - freshStart) / 1000;
    console.log(
      `published.itg: build+smoke in clone A ${builtS.toFixed(0)} s; fresh clone B reads ${freshS.toFixed(1)} s`,
    );
  },
  40 * 60_000,
);
