// A peer side by side (needs `accelbase engine up`): the way accelerator-base-containers and the seed
// article build, hand-written Dockerfiles (bench/peer/) and one `docker buildx build --platform
// linux/amd64,linux/arm64 --push` per image in sequence, against `accelbase build` of the same images
// (minideb trixie, opencl-pocl, vulkan-lavapipe), each cold (--no-cache) and then again (no-op).
import { join } from 'node:path';
import { dockerBinary, engineEnv } from '../src/engine/client.js';
import { run } from '../src/exec.js';
import { rootfsDir } from '../src/catalog/workspace-paths.js';
import { envConfig } from '../src/test/run-config.js';

const PLATFORMS = 'linux/amd64,linux/arm64';
const IMAGES = ['opencl-pocl', 'vulkan-lavapipe'];
const config = envConfig();

export interface PeerBench {
  peerColdMs: number;
  peerNoopMs: number;
  accelbaseColdMs: number;
  accelbaseNoopMs: number;
}

async function timed(file: string, args: string[], cwd: string, env?: Record<string, string>): Promise<number> {
  const start = performance.now();
  await run(file, args, { cwd, env, timeoutMs: 2 * 60 * 60_000 });
  return performance.now() - start;
}

/** The peer's build of every image in sequence: minideb first, the others on the pushed minideb. */
async function peerBuild(repoRoot: string, registry: string, extra: string[]): Promise<number> {
  const docker = dockerBinary(config.engineHome);
  const env = engineEnv(config);
  const peer = join(repoRoot, 'tools', 'accelbase', 'bench', 'peer');
  const build = (name: string, context: string) =>
    timed(
      docker,
      [
        'buildx',
        'build',
        '--platform',
        PLATFORMS,
        '--network',
        'host',
        '--progress',
        'plain',
        '--file',
        join(peer, name, 'Dockerfile'),
        '--build-arg',
        `REGISTRY=${registry}`,
        '--tag',
        `${registry}/${name}:latest`,
        '--push',
        ...extra,
        context,
      ],
      repoRoot,
      env,
    );
  let ms = await build('minideb', join(repoRoot, rootfsDir('trixie')));
  for (const name of IMAGES) ms += await build(name, join(peer, name));
  return ms;
}

export async function benchPeer(repoRoot: string, bin: string): Promise<PeerBench> {
  const id = Date.now().toString(36);
  // The rootfs tarballs both sides start from, outside the timings.
  await run('node', [bin, 'rootfs', '--suite', 'trixie', '--quiet', '--json'], {
    cwd: repoRoot,
    timeoutMs: 60 * 60_000,
  });
  const peerRegistry = `127.0.0.1:5000/bench-peer-${id}`;
  const peerColdMs = await peerBuild(repoRoot, peerRegistry, ['--no-cache']);
  const peerNoopMs = await peerBuild(repoRoot, peerRegistry, []);
  const ours = (...extra: string[]) =>
    timed(
      'node',
      [
        bin,
        'build',
        ...IMAGES,
        '--registry',
        `127.0.0.1:5000/bench-ours-${id}`,
        '--push',
        '--quiet',
        '--json',
        ...extra,
      ],
      repoRoot,
    );
  const accelbaseColdMs = await ours('--no-cache');
  const accelbaseNoopMs = await ours();
  return { peerColdMs, peerNoopMs, accelbaseColdMs, accelbaseNoopMs };
}
