// Past one machine (needs `accelbase engine up`): a split build on two engine instances standing in
// for two native runners, merged by digest, against the one-engine qemu build; and a fresh instance
// rebuilding from the registry cache alone against the cold build.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { engineDown, engineUp } from '../src/engine/engine.js';
import { instanceHome } from '../src/config/engine-instance.js';
import { engineAt, envConfig } from '../src/test/run-config.js';
import { run } from '../src/exec.js';

const REGISTRY = '127.0.0.1:5000/bench-split';

export interface SplitBench {
  amd64Ms: number;
  arm64Ms: number;
  mergeMs: number;
  freshMs: number;
  freshStatuses: string[];
}

/** Runs one after the other (a 2-core host would otherwise time the two builds against each other). */
export async function benchSplit(repoRoot: string, bin: string): Promise<SplitBench> {
  const id = Date.now().toString(36);
  const names = { a: `bench-a-${id}`, b: `bench-b-${id}`, c: `bench-c-${id}` };
  const dir = join(repoRoot, '.accelbase', 'bench');
  const timed = async (instance: string, args: string[]) => {
    const start = performance.now();
    const r = await run('node', [bin, ...args, '--registry', REGISTRY, '--quiet', '--json'], {
      cwd: repoRoot,
      timeoutMs: 60 * 60_000,
      env: { ACCELBASE_INSTANCE: instance },
    });
    return { ms: performance.now() - start, stdout: r.stdout };
  };
  const part = (instance: string, platform: string, file: string, ...extra: string[]) =>
    timed(instance, [
      'build',
      'opencl-pocl',
      '--platform',
      platform,
      '--push-by-digest',
      '--results',
      join(dir, file),
      ...extra,
    ]);
  try {
    for (const n of Object.values(names)) await engineUp(engineAt(instanceHome(envConfig().engineBaseHome, n)));
    const amd64 = await part(names.a, 'linux/amd64', 'split-amd64.json', '--no-cache');
    const arm64 = await part(names.b, 'linux/arm64', 'split-arm64.json', '--no-cache');
    const merge = await timed(names.a, ['merge', join(dir, 'split-amd64.json'), join(dir, 'split-arm64.json')]);
    const freshA = await part(names.c, 'linux/amd64', 'fresh-amd64.json');
    const freshB = await part(names.c, 'linux/arm64', 'fresh-arm64.json');
    const statuses = [freshA, freshB].flatMap((r) =>
      (JSON.parse(r.stdout).results as { status: string }[]).map((x) => x.status),
    );
    return {
      amd64Ms: amd64.ms,
      arm64Ms: arm64.ms,
      mergeMs: merge.ms,
      freshMs: freshA.ms + freshB.ms,
      freshStatuses: statuses,
    };
  } finally {
    for (const n of Object.values(names)) {
      await engineDown(instanceHome(envConfig().engineBaseHome, n));
      rmSync(instanceHome(envConfig().engineBaseHome, n), { recursive: true, force: true });
    }
  }
}
