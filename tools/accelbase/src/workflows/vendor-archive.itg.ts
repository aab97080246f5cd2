// Engine tier: the vendor-repository path, with a LOCAL SIGNED ARCHIVE IN PLACE OF THE VENDOR'S.
// A key made for the run signs an apt archive served on 127.0.0.1 (builds use host networking, so
// the build reaches it); its two packages are built here with dpkg-deb: a runtime library and a
// query tool that needs it. A test catalog declares it as a `type: apt` source with the key's
// fingerprint pinned, and a debconf pre-seed as edgetpu-max's EULA uses. amd64 only.
import { envConfig } from '../test/run-config.js';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineUp, requireEngine } from '../engine/engine.js';
import { run } from '../exec.js';
import { deb, signedArchiveRoutes } from '../test/apt-archive.js';
import { shareRootfs, workspaceCli } from '../test/clone.js';
import { closeServers, serve, type Archive } from '../test/archive.js';
import { makeSigningKey, type SigningKey } from '../test/signing.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const REGISTRY = `127.0.0.1:5000/itgvendor${Date.now().toString(36)}`;
const EULA = 'accel-query accel/accepted-eula boolean true';

/**
 * The archive's routes under /debian: pool, Packages (plain), InRelease signed by `key`, and the key.
 * Two releases of each package (1.0-1 and 1.1-1): the lock picks one.
 */
function vendorRoutes(work: string, key: SigningKey): Map<string, Buffer> {
  const debs = ['1.0-1', '1.1-1'].flatMap((version) => {
    const common = {
      Version: version,
      Architecture: 'all',
      Maintainer: 'accelbase tests <tests@example.invalid>',
      Section: 'libs',
      Priority: 'optional',
    };
    const dir = join(work, version);
    return [
      deb(
        dir,
        { Package: 'libaccel1', ...common, Description: 'tiny accelerator runtime library (test)' },
        { 'usr/lib/accel/runtime.txt': [0o644, `accel runtime ${version}\n`] },
      ),
      deb(
        dir,
        {
          Package: 'accel-query',
          ...common,
          Depends: `libaccel1 (= ${version})`,
          Description: 'accelerator device query (test)',
        },
        {
          'usr/bin/accel-query': [
            0o755,
            '#!/bin/sh\nset -e\nread -r runtime < /usr/lib/accel/runtime.txt\necho "$runtime"\necho "accel device ok"\n',
          ],
        },
      ),
    ];
  });
  return signedArchiveRoutes(debs, key, ['amd64']);
}

/**
 * The lock: both packages at `version`. apt takes the newest libaccel1 as the candidate and does not
 * go back for the older one accel-query's `(= version)` needs (measured), so with a vendor archive
 * holding several releases, each package of an exact-version pair is declared and pinned.
 */
const lockPinning = (version: string) => `version: 1
images:
  accel-vendor:
    updated: 2026-12-01
    platforms:
      linux/amd64:
        packages:
          accel-query: ${version}
          libaccel1: ${version}
`;

const catalog = (a: Archive, fingerprint: string) => `version: 1
registry: { namespace: acceleratorbase }
defaultDistribution: trixie
distributions: { trixie: { version: "13", python: "3.13" } }
minideb:
  distributions: [trixie]
  platforms: [linux/amd64]
  smoke: { command: [sh, -c, dpkg --print-architecture], expect: "^{arch}$" }
sources:
  debian: { type: debian, components: [main] }
  vendor:
    type: apt
    url: ${a.url}
    suite: stable
    components: [main]
    key: { url: "${a.url.replace(/\/debian$/, '')}/key.gpg", fingerprint: ${fingerprint} }
    architectures: [amd64]
accelerators:
  accel:
    description: An accelerator runtime from a vendor repository (a local archive here)
    variants:
      vendor:
        base: minideb:trixie
        runtime: accel-query
        debconf: ["${EULA}"]
        packages: [{ name: accel-query, source: vendor }, { name: libaccel1, source: vendor }]
        smoke: { command: [accel-query], expect: "accel device ok" }
`;

let dir = '';
let vendor: SigningKey;
let stranger: SigningKey;
let archive: Archive;
const accelbase = workspaceCli(() => dir);

async function renderWith(fingerprint: string, version = '1.0-1'): Promise<void> {
  writeFileSync(join(dir, 'catalog.yaml'), catalog(archive, fingerprint));
  writeFileSync(join(dir, 'catalog.lock.yaml'), lockPinning(version));
  const r = await accelbase('render');
  expect(r.exitCode, r.stderr).toBe(0);
}

beforeAll(async () => {
  await engineUp(envConfig());
  vendor = makeSigningKey('vendor archive');
  stranger = makeSigningKey('not the vendor');
  dir = mkdtempSync(join(tmpdir(), 'accelbase-vendor-'));
  archive = await serve(vendorRoutes(dir, vendor));
  mkdirSync(join(dir, 'generators', 'device-queries'), { recursive: true });
  cpSync(join(repoRoot, 'generators', 'templates'), join(dir, 'generators', 'templates'), { recursive: true });
  shareRootfs(dir, 'trixie', ['amd64']);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  writeFileSync(join(dir, '.gitignore'), '.accelbase/\n');
});

afterAll(async () => {
  await closeServers();
  vendor?.dispose();
  stranger?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a vendor apt repository (a local signed archive in place of the vendor's), amd64", () => {
  test('the pinned fingerprint: builds, installs from it, keeps no curl/gnupg, applies the pre-seed, passes smoke', async () => {
    await renderWith(vendor.fingerprint);
    const build = await accelbase('build', 'accel-vendor', '--push', '--registry', REGISTRY, '--json');
    expect(build.exitCode, build.stderr.slice(-3000)).toBe(0);
    const result = (JSON.parse(build.stdout).results as { image: string; repository: string; digest: string }[]).find(
      (x) => x.image === 'accel-vendor',
    )!;
    expect(result.digest).toMatch(/^sha256:/);
    expect(archive.requests).toContain('/debian/pool/main/accel-query_1.0-1_all.deb');
    expect(archive.requests).toContain('/debian/pool/main/libaccel1_1.0-1_all.deb');

    const engine = await requireEngine(envConfig());
    const inImage = await run(
      engine.docker,
      [
        'run',
        '--rm',
        '--network',
        'none',
        `${result.repository}@${result.digest}`,
        'sh',
        '-c',
        "dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\\n' accel-query libaccel1 curl gnupg gpg ca-certificates 2>/dev/null; ls /usr/share/keyrings/; cat /etc/apt/sources.list.d/accelbase-vendor.list; grep -A3 '^Name: accel/accepted-eula' /var/cache/debconf/config.dat",
      ],
      { env: engine.env, allowFailure: true },
    );
    const installed = inImage.stdout
      .split('\n')
      .filter((l) => /^\S+ \S+ ii/.test(l))
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(installed).toEqual(['accel-query 1.0-1', 'libaccel1 1.0-1']); // no curl, gnupg, gpg; no ca-certificates over http
    expect(inImage.stdout).toContain('accelbase-vendor.gpg');
    expect(inImage.stdout).toContain(
      `deb [signed-by=/usr/share/keyrings/accelbase-vendor.gpg] ${archive.url} stable main`,
    );
    expect(inImage.stdout).toMatch(/^Name: accel\/accepted-eula\n(?:.*\n)*?Value: true$/m);

    const smoke = await accelbase('smoke', 'accel-vendor', '--registry', REGISTRY, '--json');
    expect(smoke.exitCode, smoke.stderr.slice(-2000)).toBe(0);
    expect((JSON.parse(smoke.stdout).results as { outcome: string }[]).map((s) => s.outcome)).toEqual(['passed']);
  });

  test('a wrong pinned fingerprint: the build fails, naming the source and both fingerprints', async () => {
    await renderWith(stranger.fingerprint);
    const build = await accelbase('build', 'accel-vendor', '--push', '--registry', REGISTRY, '--json');
    expect(build.exitCode).not.toBe(0);
    const keyUrl = `${archive.url.replace(/\/debian$/, '')}/key.gpg`;
    expect(build.stderr).toContain(
      `accelbase: source "vendor": the key at ${keyUrl} has fingerprint ${vendor.fingerprint} not the pinned ${stranger.fingerprint}`,
    );
    const result = (JSON.parse(build.stdout).results as { image: string; status: string }[]).find(
      (x) => x.image === 'accel-vendor',
    )!;
    expect(result.status).toBe('failed');
  });
});

describe("verify: rebuilding from the commit in the image's labels (the local archive again), amd64", () => {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=accelbase tests', '-c', 'user.email=tests@example.invalid', ...args], {
      cwd: dir,
    }).toString();
  const pushed = async (): Promise<{ digest: string; tags: string[] }> => {
    const build = await accelbase('build', 'accel-vendor', '--push', '--registry', REGISTRY, '--json');
    expect(build.exitCode, build.stderr.slice(-3000)).toBe(0);
    return (JSON.parse(build.stdout).results as { image: string; digest: string; tags: string[] }[]).find(
      (x) => x.image === 'accel-vendor',
    )!;
  };
  const verify = async (tag: string) => {
    const r = await accelbase('verify', `accel-vendor:${tag.split(':').pop()}`, '--registry', REGISTRY, '--json');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return {
      exitCode: r.exitCode,
      stderr: r.stderr.slice(-3000),
      outcome: JSON.parse(r.stdout || '{}') as {
        identical: boolean;
        platforms: { identical: boolean; layer?: { index: number; paths: { path: string; change: string }[] } }[];
      },
    };
  };
  let committed = { digest: '', tags: [] as string[] };

  test('built from a commit: the rebuild without cache is identical', async () => {
    await renderWith(vendor.fingerprint, '1.0-1');
    git('add', '-A');
    git('commit', '-q', '-m', 'accel-vendor at 1.0-1');
    committed = await pushed();
    const { exitCode, outcome, stderr } = await verify(committed.tags[1]);
    expect(exitCode, `${stderr}\n${JSON.stringify(outcome, null, 1).slice(0, 3000)}`).toBe(0);
    expect(outcome.identical).toBe(true);
    expect(outcome.platforms.map((p) => p.identical)).toEqual([true]);
  });

  test('one package version changed outside the commit: a new digest, and verify names the layer and its paths', async () => {
    await renderWith(vendor.fingerprint, '1.1-1'); // not committed: the label still names the 1.0-1 commit
    const dirty = await pushed();
    expect(dirty.digest).not.toBe(committed.digest);
    const { exitCode, outcome, stderr } = await verify(dirty.tags[1]);
    expect(exitCode, stderr).toBe(1);
    expect(outcome.identical).toBe(false);
    const [amd64] = outcome.platforms;
    expect(amd64.layer?.index).toBeGreaterThan(0); // not the minideb layer: the one installing the vendor's packages
    expect(amd64.layer?.paths).toEqual(
      expect.arrayContaining([
        { path: 'usr/lib/accel/runtime.txt', change: 'content' },
        { path: 'var/lib/dpkg/status', change: 'content' },
      ]),
    );
    git('checkout', '-q', '--', '.');
  });
});
