// Engine tier: real dockerd, buildx bake, Debian's registry on 127.0.0.1:5000, qemu for arm64.
// minideb (trixie) and the PoCL image, both platforms, pushed, read back over HTTP, smoke-tested.
import { envConfig } from '../test/run-config.js';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../exec.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';
import { readBuildResults as readResults } from './state.js';
import { engineUp } from '../engine/engine.js';
import { readState } from '../engine/state.js';
import { dockerBinary, engineEnv } from '../engine/client.js';
import { pidAlive } from '../engine/daemon.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
// A namespace of its own per run: the registry's storage outlives runs on the same machine.
const REGISTRY = `127.0.0.1:5000/itg${Date.now().toString(36)}`;
// The dated build tag is an input: one date for the first build and the no-op, even across midnight.
const DATE = new Date().toISOString().slice(0, 10).replace(/-/g, '');

const accelbase = (...args: string[]) =>
  run('node', [bin, ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 30 * 60_000 });

interface Result {
  image: string;
  status: string;
  digest?: string;
  reason?: string;
  platforms: string[];
}
/** The first build's results, which the no-op rebuild must reproduce. */
let results: Result[] = [];

beforeAll(async () => {
  await engineUp(envConfig());
});

describe('minideb + PoCL, amd64 + arm64, through bake to the local registry', () => {
  test('rootfs, build and push', async () => {
    const r = await accelbase('build', 'opencl-pocl', '--push', '--registry', REGISTRY, '--date', DATE, '--json');
    expect(r.stderr).toContain('==> minideb-trixie');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    results = JSON.parse(r.stdout).results;
    expect(results.map((x) => x.image)).toEqual(['minideb-trixie', 'opencl-pocl']);
    for (const x of results) {
      expect(['built', 'cached']).toContain(x.status);
      expect(x.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(x.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    }
  });

  test('the registry serves a multi-arch index under the build tags', async () => {
    const tags = await listTags(`${REGISTRY}/opencl-pocl`);
    const dated = tags.find((t) => /^6\.0-trixie-[0-9]{8}$/.test(t));
    expect(dated, `tags: ${tags.join(', ')}`).toBeDefined();
    expect(tags.some((t) => /^sha-[0-9a-f]{7}$/.test(t))).toBe(true);
    // minideb's dists share a repository: its sha- tag names the dist, so no dist's push takes another's.
    expect((await listTags(`${REGISTRY}/minideb`)).filter((t) => t.startsWith('sha-'))).toEqual([
      expect.stringMatching(/^sha-[0-9a-f]{7}-trixie$/),
    ]);
    expect(tags).not.toContain('latest'); // floating tags belong to publish, not build
    const index = await getManifest(`${REGISTRY}/opencl-pocl`, dated!);
    expect(index.digest).toBe(results.find((x) => x.image === 'opencl-pocl')!.digest);
    expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('smoke: clinfo lists a CPU device and minideb reports its architecture, on both platforms', async () => {
    const r = await accelbase('smoke', 'minideb-trixie', 'opencl-pocl', '--registry', REGISTRY, '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const smoke = JSON.parse(r.stdout).results as {
      image: string;
      platform: string;
      outcome: string;
      detail: string;
    }[];
    expect(smoke.map((s) => `${s.image} ${s.platform} ${s.outcome}`)).toEqual([
      'minideb-trixie linux/amd64 passed',
      'minideb-trixie linux/arm64 passed',
      'opencl-pocl linux/amd64 passed',
      'opencl-pocl linux/arm64 passed',
    ]);
    expect(smoke[1].detail).toMatch(/^arm64 \| \/usr\/sbin\/install_packages/);
    expect(smoke[2].detail).toMatch(/Device #0/);
  });
});

describe('publish: floating tags move only on a real change', () => {
  // A throwaway copy of the catalog files (publish writes catalog.lock.yaml), sharing .accelbase/
  // with the repository so it sees the build and smoke results above.
  let ws = '';
  beforeAll(() => {
    ws = mkdtempSync(join(tmpdir(), 'accelbase-publish-'));
    for (const p of ['catalog.yaml', 'catalog.lock.yaml', 'docker-bake.json', 'images', 'generators'])
      cpSync(join(repoRoot, p), join(ws, p), { recursive: true });
    symlinkSync(join(repoRoot, '.accelbase'), join(ws, '.accelbase'));
  });
  afterAll(() => rmSync(ws, { recursive: true, force: true }));
  const publish = () =>
    run(
      'node',
      [bin, 'publish', 'opencl-pocl', '--registry', REGISTRY, '--catalog', join(ws, 'catalog.yaml'), '--json'],
      { cwd: ws, allowFailure: true, timeoutMs: 600_000 },
    );

  test('first publish moves latest, trixie and 6.0-trixie to the smoke-tested build and records it', async () => {
    const r = await publish();
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decisions.map((d: { image: string; action: string }) => `${d.image} ${d.action}`)).toEqual([
      'minideb-trixie publish',
      'opencl-pocl publish',
    ]);
    const built = readResults(repoRoot).find((x) => x.image === 'opencl-pocl')!.digest!;
    for (const tag of ['latest', 'trixie', '6.0-trixie'])
      expect((await getManifest(`${REGISTRY}/opencl-pocl`, tag)).digest).toBe(built);
    const lock = readFileSync(join(ws, 'catalog.lock.yaml'), 'utf8');
    expect(lock).toContain(`digest: ${built}`);
    expect(lock).toMatch(/minideb-trixie:\n(?:.*\n)*?\s+rootfs: sha256:[0-9a-f]{64}/);
  });

  test('a quiet night: the second publish pushes nothing', async () => {
    const r = await publish();
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.published).toBe(0);
    expect(out.decisions.map((d: { reason: string }) => d.reason)).toEqual(['identical digest', 'identical digest']);
  });
});

describe('rebuild', () => {
  test('a no-op rebuild bakes nothing: the same inputs, already in the registry under the build tags', async () => {
    const r = await accelbase('build', 'opencl-pocl', '--push', '--registry', REGISTRY, '--date', DATE, '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const again = JSON.parse(r.stdout).results as Result[];
    expect(again.map((x) => x.status)).toEqual(['cached', 'cached']);
    expect(again.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^unchanged/),
      expect.stringMatching(/^unchanged/),
    ]);
    expect(again.map((x) => x.digest)).toEqual(results.map((x) => x.digest));
    expect(r.stderr).not.toContain('#1 '); // no bake ran: buildx prints its steps as #N
  });

  test('--no-cache always bakes, and what it pushed makes the next build a no-op', async () => {
    const build = (...extra: string[]) =>
      accelbase(
        'build',
        'minideb-trixie',
        '--push',
        '--registry',
        REGISTRY,
        '--platform',
        'linux/amd64',
        '--date',
        '20000102',
        '--json',
        ...extra,
      );
    const cold = await build('--no-cache');
    expect(cold.exitCode, cold.stderr.slice(-3000)).toBe(0);
    expect(cold.stderr).toContain('#1 ');
    const again = await build();
    expect(again.exitCode, again.stderr.slice(-3000)).toBe(0);
    const [result] = JSON.parse(again.stdout).results as Result[];
    expect(result.reason).toMatch(/^unchanged/);
    expect(result.digest).toBe((JSON.parse(cold.stdout).results as Result[])[0].digest);
  });
});

describe('faults', () => {
  test('the registry stopped during a push: the build fails clearly, and a rerun completes', async () => {
    const registryPid = readState(envConfig().engineHome)!.pids.registry;
    expect(pidAlive(registryPid)).toBe(true);
    process.kill(registryPid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    const failed = await accelbase(
      'build',
      'minideb-trixie',
      '--push',
      '--registry',
      REGISTRY,
      '--platform',
      'linux/amd64',
      '--date',
      '20000101',
      '--json',
    );
    expect(failed.exitCode).toBe(1);
    const result = JSON.parse(failed.stdout).results[0] as Result;
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/127\.0\.0\.1:5000|connection refused|push/i);
    await engineUp(envConfig()); // restarts the registry it started
    const rerun = await accelbase(
      'build',
      'minideb-trixie',
      '--push',
      '--registry',
      REGISTRY,
      '--platform',
      'linux/amd64',
      '--date',
      '20000101',
      '--json',
    );
    expect(rerun.exitCode, rerun.stderr.slice(-2000)).toBe(0);
    expect(await listTags(`${REGISTRY}/minideb`)).toContain('trixie-20000101');
  });

  test('SIGINT during a build leaves no process or container behind', async () => {
    // An uncached arm64 step (under qemu) keeps the build busy long enough to interrupt it: --no-cache,
    // since the engine's build cache outlives runs on the same machine.
    const child = spawn(
      'node',
      [bin, 'build', 'vulkan-lavapipe', '--platform', 'linux/arm64', '--no-cache', '--registry', REGISTRY],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let progress = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no RUN step started:\n${progress.slice(-2000)}`)), 10 * 60_000);
      child.stderr.on('data', (d: Buffer) => {
        progress += d.toString();
        // The install step mounts apt's archive first: `RUN --mount=type=cache,... install_packages`.
        if (/\] RUN (?:--mount=\S+\s+)*install_packages/.test(progress)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const pids = await descendants(child.pid!);
    expect(pids.length).toBeGreaterThan(0); // buildx is running under us
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c, sig) => r(c ?? (sig ? 130 : null))));
    expect(code).not.toBe(0);
    await new Promise((r) => setTimeout(r, 3000));
    expect(pids.filter(pidAlive)).toEqual([]);
    const ps = await run(dockerBinary(envConfig().engineHome), ['ps', '--all', '--quiet'], {
      env: engineEnv(envConfig()),
    });
    expect(ps.stdout.trim()).toBe('');
  });
});

/** Every process below `pid`, from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const r = await run('ps', ['-e', '-o', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of r.stdout.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
