// Engine tier: the shipped EdgeTPU images, built and smoke-tested for amd64 and arm64 against a
// STAND-IN libedgetpu, because Coral's repository cannot be reached from our build machines.
// The stand-in (test/fixtures/edgetpu-standin/edgetpu_standin.c) has libedgetpu's three C API
// functions the device query calls and takes its device list from an environment variable; it is
// compiled here for both architectures, packaged as libedgetpu1-std/-max with the real packages'
// dependencies (and -max's EULA question), and served from a local signed archive on 127.0.0.1
// that the catalog's `coral` source is pointed at, its key's fingerprint pinned.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { Smoke } from '../catalog/schema.js';
import { engineUp, requireEngine } from '../engine/engine.js';
import { run } from '../exec.js';
import { classify } from '../smoke/outcome.js';
import { deb, signedArchiveRoutes } from '../test/apt-archive.js';
import { envConfig } from '../test/run-config.js';
import { closeServers, serve, type Archive } from '../test/archive.js';
import { shareRootfs, workspaceCli } from '../test/clone.js';
import { makeSigningKey, type SigningKey } from '../test/signing.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const SOURCE = join(import.meta.dirname, '..', 'test', 'fixtures', 'edgetpu-standin', 'edgetpu_standin.c');
const REGISTRY = `127.0.0.1:5000/itgedgetpu${Date.now().toString(36)}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const STANDIN_VERSION = '16.0';
/** Where Debian keeps a package's shared libraries, per architecture, and the compiler for it. */
const ARCHES = {
  amd64: { multiarch: 'x86_64-linux-gnu', cc: 'gcc' },
  arm64: { multiarch: 'aarch64-linux-gnu', cc: 'aarch64-linux-gnu-gcc' },
} as const;
/** The variant this test adds: the stand-in told (by its environment) that a PCIe Coral is there. */
const ATTACHED = 'edgetpu-standin-attached';

/** libedgetpu1-std/-max for both architectures, as Coral packages them: one library, real dependencies. */
function standinDebs(work: string): string[] {
  mkdirSync(work, { recursive: true });
  const debs: string[] = [];
  for (const [arch, { multiarch, cc }] of Object.entries(ARCHES)) {
    for (const clock of ['std', 'max'] as const) {
      const so = join(work, `libedgetpu-${clock}-${arch}.so.1`);
      execFileSync(cc, [
        '-shared',
        '-fPIC',
        '-O2',
        '-Wall',
        `-DSTANDIN_CLOCK="${clock}"`,
        '-Wl,-soname,libedgetpu.so.1',
        '-o',
        so,
        SOURCE,
      ]);
      const other = clock === 'std' ? 'max' : 'std';
      // The max package asks its EULA question in preinst, as Coral's does: without the catalog's
      // debconf pre-seed (`libedgetpu1-max libedgetpu/accepted-eula boolean true`) it refuses to install.
      const eula: Record<string, [number, string]> =
        clock === 'max'
          ? {
              templates: [
                0o644,
                'Template: libedgetpu/accepted-eula\nType: boolean\nDefault: false\nDescription: Accept the EdgeTPU EULA?\n',
              ],
              preinst: [
                0o755,
                '#!/bin/sh\nset -e\n. /usr/share/debconf/confmodule\ndb_get libedgetpu/accepted-eula\n[ "$RET" = "true" ] || { echo "libedgetpu1-max: EULA not accepted" >&2; exit 1; }\n',
              ],
            }
          : {};
      debs.push(
        deb(
          join(work, arch),
          {
            Package: `libedgetpu1-${clock}`,
            Source: 'libedgetpu',
            Version: STANDIN_VERSION,
            Architecture: arch,
            Maintainer: 'accelbase tests <tests@example.invalid>',
            // Coral's own dependency line: libgcc1 is provided by libgcc-s1 from bookworm on.
            Depends: `libc6 (>= 2.28), libgcc1 (>= 1:3.0), libstdc++6 (>= 5.2), libusb-1.0-0 (>= 2:1.0.21)${clock === 'max' ? ', debconf (>= 0.5) | debconf-2.0' : ''}`,
            Conflicts: `libedgetpu1-${other}`,
            Provides: `libedgetpu1 (= ${STANDIN_VERSION})`,
            Section: 'libs',
            Priority: 'optional',
            Description: `STAND-IN for Coral's libedgetpu (${clock} clock), for accelbase's tests`,
          },
          { [`usr/lib/${multiarch}/libedgetpu.so.1`]: [0o644, readFileSync(so)] },
          { triggers: [0o644, 'activate-noawait ldconfig\n'], ...eula },
        ),
      );
    }
  }
  return debs;
}

/**
 * The shipped catalog with its `coral` source pointed at the local archive (key pinned), only the
 * EdgeTPU accelerator kept (its variants as shipped, plus one whose stand-in reports a device),
 * and minideb on the edgetpu images' release only.
 */
function testCatalog(a: Archive, fingerprint: string): { catalog: string; lock: string } {
  const doc = parseDocument(readFileSync(join(repoRoot, 'catalog.yaml'), 'utf8'));
  const edgetpu = doc.getIn(['accelerators', 'edgetpu']);
  const dist = String(doc.getIn(['accelerators', 'edgetpu', 'defaults', 'base'])).split(':')[1];
  doc.set('accelerators', doc.createNode({ edgetpu }));
  // Built on edgetpu-std, adding only the environment: no install step of its own to emulate.
  doc.setIn(['accelerators', 'edgetpu', 'variants', 'standin-attached'], {
    description: 'the stand-in told that a PCIe EdgeTPU is attached',
    base: 'edgetpu-std',
    // It installs nothing on purpose: validate refuses an empty variant unless it says so.
    plainBase: true,
    env: { ACCELBASE_EDGETPU_STANDIN_DEVICES: 'pci:/dev/apex_0' },
  });
  doc.setIn(['minideb', 'distributions'], [dist]);
  doc.setIn(['sources', 'coral'], {
    type: 'apt',
    url: a.url,
    suite: 'stable',
    components: ['main'],
    key: { url: `${a.url.replace(/\/debian$/, '')}/key.gpg`, fingerprint },
    architectures: ['amd64', 'arm64'],
  });
  // The lock: the stand-in's version, and python3 as the shipped lock has it for these images.
  const shippedLock = parseDocument(readFileSync(join(repoRoot, 'catalog.lock.yaml'), 'utf8')).toJS();
  const images: Record<string, unknown> = {};
  for (const [image, runtime] of [
    ['edgetpu-std', 'libedgetpu1-std'],
    ['edgetpu-max', 'libedgetpu1-max'],
  ]) {
    const platforms: Record<string, unknown> = {};
    for (const p of PLATFORMS) {
      const python3 = shippedLock.images?.['edgetpu-std']?.platforms?.[p]?.packages?.python3;
      platforms[p] = { packages: { [runtime]: STANDIN_VERSION, ...(python3 ? { python3 } : {}) } };
    }
    images[image] = { updated: '2026-12-07', platforms };
  }
  return { catalog: doc.toString(), lock: JSON.stringify({ version: 1, images }) };
}

/** The shipped EdgeTPU smoke test (expect and no-device patterns), as the catalog declares it. */
let edgetpuSmoke: Smoke;
let dir = '';
let key: SigningKey;
let archive: Archive;
const accelbase = workspaceCli(() => dir);

beforeAll(async () => {
  for (const { cc } of Object.values(ARCHES))
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${cc} is needed to compile the stand-in (apt-get install gcc gcc-aarch64-linux-gnu)`);
    }
  await engineUp(envConfig());
  key = makeSigningKey('EdgeTPU stand-in archive');
  dir = mkdtempSync(join(tmpdir(), 'accelbase-edgetpu-'));
  archive = await serve(signedArchiveRoutes(standinDebs(join(dir, 'debs')), key, Object.keys(ARCHES)));
  const { catalog, lock } = testCatalog(archive, key.fingerprint);
  edgetpuSmoke = Smoke.parse(parseDocument(catalog).toJS().accelerators.edgetpu.defaults.smoke);
  writeFileSync(join(dir, 'catalog.yaml'), catalog);
  writeFileSync(join(dir, 'catalog.lock.yaml'), lock);
  cpSync(join(repoRoot, 'generators'), join(dir, 'generators'), { recursive: true });
  shareRootfs(dir, 'trixie', Object.keys(ARCHES));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  writeFileSync(join(dir, '.gitignore'), '.accelbase/\n');
  const render = await accelbase('render');
  expect(render.exitCode, render.stderr).toBe(0);
});

afterAll(async () => {
  await closeServers();
  key?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Smoked {
  image: string;
  platform: string;
  outcome: string;
  detail: string;
  output: string;
  ref: string;
}

describe('EdgeTPU images on a STAND-IN libedgetpu (a local signed archive in place of Coral), amd64 and arm64', () => {
  let smoked: Smoked[] = [];

  test('edgetpu-std and -max build for both platforms from the stand-in archive', async () => {
    const build = await accelbase('build', 'edgetpu', '--push', '--registry', REGISTRY, '--json');
    expect(build.exitCode, build.stderr.slice(-4000)).toBe(0);
    const results = JSON.parse(build.stdout).results as { image: string; status: string; platforms: string[] }[];
    for (const image of ['edgetpu-std', 'edgetpu-max', ATTACHED])
      expect(results.find((r) => r.image === image)).toMatchObject({ status: 'built', platforms: PLATFORMS });
    for (const arch of Object.keys(ARCHES))
      for (const clock of ['std', 'max'])
        expect(archive.requests).toContain(`/debian/pool/main/libedgetpu1-${clock}_${STANDIN_VERSION}_${arch}.deb`);

    const smoke = await accelbase('smoke', 'edgetpu', '--registry', REGISTRY, '--json');
    smoked = JSON.parse(smoke.stdout).results as Smoked[];
    expect(smoked).toHaveLength(6);
  });

  test.each(['edgetpu-std', 'edgetpu-max'].flatMap((image) => PLATFORMS.map((platform) => [image, platform])))(
    '%s on %s: no-device, with the stand-in version line first',
    (image, platform) => {
      const r = smoked.find((s) => s.image === image && s.platform === platform)!;
      expect(r.outcome, r.output).toBe('no-device');
      const clock = image.split('-')[1];
      expect(r.output.split('\n')[0]).toBe(
        `BuildLabel(COMPILER=accelbase stand-in ${clock},DATE=redacted,TIME=redacted,CL_NUMBER=0), RuntimeVersion(13)`,
      );
      expect(r.detail).toMatch(/^no EdgeTPU device/);
    },
  );

  test.each(PLATFORMS)('the stand-in reporting a device on %s: passed, with the device path', (platform) => {
    const r = smoked.find((s) => s.image === ATTACHED && s.platform === platform)!;
    expect(r.outcome, r.output).toBe('passed');
    expect(r.output).toContain('RuntimeVersion(13)\nAvailable EdgeTPU Devices:\n/dev/apex_0');
  });

  test("edgetpu-max's EULA pre-seed is applied (its preinst refuses without it)", async () => {
    const max = smoked.find((s) => s.image === 'edgetpu-max')!;
    const engine = await requireEngine(envConfig());
    const r = await run(
      engine.docker,
      [
        'run',
        '--rm',
        '--network',
        'none',
        max.ref,
        'grep',
        '-A3',
        '^Name: libedgetpu/accepted-eula',
        '/var/cache/debconf/config.dat',
      ],
      { env: engine.env, allowFailure: true },
    );
    expect(r.stdout).toMatch(/^Name: libedgetpu\/accepted-eula\n(?:.*\n)*?Value: true$/m);
  });

  test.each(PLATFORMS)('without the library on %s the query fails: failed, never no-device', async (platform) => {
    const std = smoked.find((s) => s.image === 'edgetpu-std' && s.platform === platform)!;
    const engine = await requireEngine(envConfig());
    const r = await run(
      engine.docker,
      [
        'run',
        '--rm',
        '--network',
        'none',
        '--platform',
        platform,
        std.ref,
        'sh',
        '-c',
        'rm -f /usr/lib/*/libedgetpu.so.1 && exec accelbase-device-query',
      ],
      { env: engine.env, allowFailure: true },
    );
    const output = `${r.stdout}\n${r.stderr}`.trim();
    expect(r.exitCode, output).toBe(2);
    expect(output).toMatch(/^EdgeTPU runtime \(libedgetpu\.so\.1\) not available/);
    expect(classify(edgetpuSmoke, platform, { exitCode: r.exitCode, output, timedOut: false }).outcome).toBe('failed');
  });
});
