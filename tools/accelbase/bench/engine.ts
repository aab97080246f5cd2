// Engine benchmarks (need `accelbase engine up`): cold vs no-op rebuild, minideb size, smoke overhead.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import { buildRootfs } from '../src/rootfs/bootstrap.js';
import { dockerBinary, engineEnv } from '../src/engine/client.js';
import { engineDown, engineUp, requireEngine } from '../src/engine/engine.js';
import { stopPid } from '../src/engine/daemon.js';
import { launchPackageCache } from '../src/engine/package-cache.js';
import { instanceHome } from '../src/config/engine-instance.js';
import { enginePaths } from '../src/engine/paths.js';
import { engineAt, envConfig } from '../src/test/run-config.js';
import { run } from '../src/exec.js';
import { createNightlyWorkspace } from '../src/test/nightly-workspace.js';
import { rootfsTarball } from '../src/rootfs/paths.js';
import { median } from './catalog.js';

const REGISTRY = '127.0.0.1:5000/bench';
/** The settings of this process's environment, resolved as the CLI resolves them. */
const config = envConfig();

async function timed(file: string, args: string[], cwd: string): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  const r = await run(file, args, { cwd, timeoutMs: 60 * 60_000 });
  return { ms: performance.now() - start, stdout: r.stdout };
}

export async function engineAvailable(): Promise<boolean> {
  try {
    await requireEngine(config);
    return true;
  } catch {
    return false;
  }
}

/** The bench set: opencl-pocl and its base chain (minideb trixie), amd64 + arm64, as CI builds them. */
export async function benchRebuild(repoRoot: string, bin: string) {
  const build = (...extra: string[]) =>
    timed(
      'node',
      [bin, 'build', 'opencl-pocl', '--registry', REGISTRY, '--push', '--quiet', '--json', ...extra],
      repoRoot,
    );
  const cold = await build('--no-cache');
  const noop = await build();
  const statuses = (JSON.parse(noop.stdout).results as { status: string }[]).map((r) => r.status);
  return { coldMs: cold.ms, noopMs: noop.ms, noopStatuses: statuses };
}

/** Bytes of `file` gzipped at level 6, BuildKit's default for layers. */
async function gzippedBytes(file: string): Promise<number> {
  let bytes = 0;
  const count = new Writable({ write: (chunk: Buffer, _enc, done) => ((bytes += chunk.length), done()) });
  await pipeline(createReadStream(file), createGzip({ level: 6 }), count);
  return bytes;
}

export async function benchMinideb(repoRoot: string) {
  const r = await buildRootfs({
    config,
    suite: 'bookworm',
    arch: 'amd64',
    outFile: join(repoRoot, '.accelbase', 'bench', 'rootfs-amd64.tar'),
  });
  return { trimmed: r.bytes, untrimmed: r.untrimmedBytes, compressed: await gzippedBytes(r.path), steps: r.trimSteps };
}

/** One smoke test against `docker run --rm IMAGE true` on the same image, both warm. */
export async function benchSmoke(repoRoot: string, bin: string) {
  const ref = `${REGISTRY}/opencl-pocl:trixie`;
  const docker = dockerBinary(config.engineHome);
  const env = engineEnv(config);
  const builds = JSON.parse(
    (
      await run(
        'node',
        [
          bin,
          'build',
          'opencl-pocl',
          '--registry',
          REGISTRY,
          '--push',
          '--platform',
          'linux/amd64',
          '--json',
          '--quiet',
        ],
        { cwd: repoRoot },
      )
    ).stdout,
  );
  const digest = builds.results.find((r: { image: string }) => r.image === 'opencl-pocl').digest as string;
  const image = `${REGISTRY}/opencl-pocl@${digest}`;
  await run(docker, ['pull', '--quiet', '--platform', 'linux/amd64', image], { env });
  const smoke: number[] = [];
  const bare: number[] = [];
  const command: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await timed(
      'node',
      [bin, 'smoke', 'opencl-pocl', '--registry', REGISTRY, '--platform', 'linux/amd64', '--quiet', '--json'],
      repoRoot,
    );
    command.push(r.ms);
    // Per image: what one more image adds to a smoke run (the CLI starts once for all of them).
    smoke.push(JSON.parse(r.stdout).results[0].durationS * 1000);
    const start = performance.now();
    await run(docker, ['run', '--rm', '--network', 'none', '--platform', 'linux/amd64', image, 'true'], { env });
    bare.push(performance.now() - start);
  }
  return { smokeMs: median(smoke), commandMs: median(command), bareMs: median(bare), ref };
}

/**
 * Two nights against the real mirror on a small catalog. Before the first, minideb is bootstrapped as
 * it was before security updates were applied (the suite and -updates alone), so the first night has
 * fixes to bring in; the second is quiet. Outdated installed packages are counted before and after each.
 */
export async function benchNightly(repoRoot: string) {
  const ws = await createNightlyWorkspace(repoRoot);
  try {
    await buildRootfs({
      config,
      suite: 'bookworm',
      arch: 'amd64',
      outFile: join(ws.dir, rootfsTarball('bookworm', 'amd64')),
      securityMirror: null,
    });
    const outdated = async () => {
      const r = await ws.accelbase(['outdated', '--json']);
      const report = JSON.parse(r.stdout) as {
        outdated: number;
        images: { known: boolean; outdated: { security: boolean }[] }[];
      };
      return {
        packages: report.outdated,
        security: report.images.flatMap((i) => i.outdated).filter((o) => o.security).length,
        known: report.images.filter((i) => i.known).length,
        images: report.images.length,
      };
    };
    const night = async () => {
      const start = performance.now();
      const r = await ws.accelbase(['nightly', '--registry', `${REGISTRY}-nightly`, '--json']);
      const wallMs = performance.now() - start;
      if (r.exitCode !== 0) throw new Error(`nightly failed:\n${r.stderr.slice(-2000)}`);
      ws.git('add', '-A');
      ws.git('commit', '-q', '--allow-empty', '-m', 'nightly');
      return { ...(JSON.parse(r.stdout) as { built: string[]; published: number }), wallMs, after: await outdated() };
    };
    const before = await outdated();
    const first = await night();
    const second = await night();
    return { before, first, second };
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

/**
 * Reproducibility: the bench set (minideb trixie, opencl-pocl, vulkan-lavapipe; amd64 + arm64) built
 * cold twice, each time on a fresh engine instance, under two namespaces; which images came out with
 * the same index digest; then `verify opencl-pocl` (a cold rebuild of one image) against its cold build.
 */
export async function benchReproducible(repoRoot: string, bin: string) {
  const images = ['opencl-pocl', 'vulkan-lavapipe'];
  const instances = ['bench-repro-a', 'bench-repro-b'];
  const builds: { image: string; digest?: string; durationS: number; tags: string[] }[][] = [];
  try {
    for (const [i, instance] of instances.entries()) {
      rmSync(instanceHome(config.engineBaseHome, instance), { recursive: true, force: true }); // an empty data root
      await engineUp(engineAt(instanceHome(config.engineBaseHome, instance)));
      const r = await run(
        'node',
        [
          bin,
          'build',
          ...images,
          '--no-cache',
          '--push',
          '--keep-going',
          '--registry',
          `${REGISTRY}-repro${i}`,
          '--instance',
          instance,
          '--quiet',
          '--json',
        ],
        { cwd: repoRoot, allowFailure: true, timeoutMs: 90 * 60_000 },
      );
      builds.push(JSON.parse(r.stdout).results);
      await engineDown(instanceHome(config.engineBaseHome, instance));
    }
  } finally {
    for (const instance of instances) {
      await engineDown(instanceHome(config.engineBaseHome, instance)).catch(() => undefined);
      rmSync(instanceHome(config.engineBaseHome, instance), { recursive: true, force: true });
    }
  }
  const [a, b] = builds;
  const identical = a
    .filter((x) => x.digest && b.find((y) => y.image === x.image)?.digest === x.digest)
    .map((x) => x.image);
  const pocl = a.find((x) => x.image === 'opencl-pocl')!;
  const sha = pocl.tags.map((t) => t.split(':').pop()!).find((t) => t.startsWith('sha-'))!;
  const start = performance.now();
  const v = await run(
    'node',
    [bin, 'verify', `opencl-pocl:${sha}`, '--registry', `${REGISTRY}-repro0`, '--quiet', '--json'],
    { cwd: repoRoot, allowFailure: true, timeoutMs: 60 * 60_000 },
  );
  const verifyMs = performance.now() - start;
  return {
    built: a.map((x) => x.image),
    identical,
    verifyMs,
    verifyIdentical: v.exitCode === 0,
    coldPoclMs: pocl.durationS * 1000,
  };
}

/**
 * Downloads once: opencl-pocl for amd64 built --no-cache twice through a package cache of its own
 * (apt-cacher-ng on 127.0.0.1:3143, started empty for this and stopped after), so the first fetches
 * every .deb from the mirror and the second from the cache. BuildKit starts apt's cache mount empty
 * on --no-cache, so the proxy is what the second build gains from. The digests must agree.
 */
export async function benchDownloads(repoRoot: string, bin: string) {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-bench-acng-'));
  const port = 3143;
  const prefix = enginePaths(config.engineHome).prefix;
  const pid = await launchPackageCache({
    prefix,
    configDir: join(dir, 'conf'),
    dataDir: join(dir, 'cache'),
    logDir: join(dir, 'log'),
    pidFile: join(dir, 'pid'),
    cwd: dir,
    port,
  });
  try {
    const build = async () => {
      const start = performance.now();
      const r = await run(
        'node',
        [
          bin,
          'build',
          'opencl-pocl',
          '--platform',
          'linux/amd64',
          '--no-cache',
          '--push',
          '--registry',
          `${REGISTRY}-downloads`,
          '--quiet',
          '--json',
        ],
        { cwd: repoRoot, env: { ACCELBASE_APT_PROXY: `http://127.0.0.1:${port}` }, timeoutMs: 60 * 60_000 },
      );
      const pocl = (JSON.parse(r.stdout).results as { image: string; digest?: string }[]).find(
        (x) => x.image === 'opencl-pocl',
      );
      return { ms: performance.now() - start, digest: pocl?.digest };
    };
    const empty = await build();
    const warm = await build();
    return {
      emptyMs: empty.ms,
      warmMs: warm.ms,
      sameDigest: empty.digest !== undefined && empty.digest === warm.digest,
    };
  } finally {
    await stopPid('apt-cacher-ng (bench)', pid, dir, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
