// The whole catalog per platform (needs `accelbase engine up`): every image built cold (--no-cache),
// then again warm (the build cache kept), then every reachable image smoke-tested, as a new user runs
// them. One platform at a time, so the 2-core host does not time the two against each other.
import { run } from '../src/exec.js';
import { WHOLE_CATALOG, reachableImages, removePulledImages } from '../src/test/whole-catalog.js';

interface BuildResult {
  image: string;
  status: string;
  reason?: string;
  durationS: number;
}
interface SmokeResult {
  image: string;
  outcome: string;
}

export interface PlatformRun {
  platform: string;
  coldMs: number;
  warmMs: number;
  cold: BuildResult[];
  warmStatuses: Record<string, number>;
  smokeMs: number;
  smoke: SmokeResult[];
  /** Images whose build or smoke outcome is not the one WHOLE_CATALOG expects here. */
  unexpected: string[];
}

/** Every suite x arch tarball, one at a time, outside the build timings; the ones that failed, with why. */
export async function prepareRootfs(
  repoRoot: string,
  bin: string,
  suites: readonly string[],
  arches: readonly string[],
): Promise<{ ms: number; failed: string[] }> {
  const start = performance.now();
  const failed: string[] = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const r = await run('node', [bin, 'rootfs', '--suite', suite, '--arch', arch, '--quiet', '--json'], {
        cwd: repoRoot,
        allowFailure: true,
        timeoutMs: 60 * 60_000,
      });
      if (r.exitCode !== 0)
        failed.push(`${suite} ${arch}: ${r.stderr.trim().split('\n').slice(0, 2).join(' ').slice(0, 400)}`);
    }
  }
  return { ms: performance.now() - start, failed };
}

export async function benchWholeCatalog(repoRoot: string, bin: string, platform: string): Promise<PlatformRun> {
  const registry = `127.0.0.1:5000/bench-catalog-${platform.split('/')[1]}-${Date.now().toString(36)}`;
  const accelbase = async (args: string[]) => {
    const start = performance.now();
    const r = await run('node', [bin, ...args, '--platform', platform, '--registry', registry, '--quiet', '--json'], {
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 3 * 60 * 60_000,
    });
    return { ms: performance.now() - start, json: JSON.parse(r.stdout || '{"results":[]}') as { results: never[] } };
  };
  const build = (...extra: string[]) => accelbase(['build', '--push', '--keep-going', ...extra]);
  const cold = await build('--no-cache');
  const warm = await build();
  const smoke = await accelbase(['smoke', ...reachableImages()]);
  await removePulledImages(registry);
  const coldResults = cold.json.results as BuildResult[];
  const smokeResults = smoke.json.results as SmokeResult[];
  const warmStatuses: Record<string, number> = {};
  for (const r of warm.json.results as BuildResult[]) warmStatuses[r.status] = (warmStatuses[r.status] ?? 0) + 1;
  const unexpected = Object.entries(WHOLE_CATALOG)
    .filter(([image, want]) => {
      const b = coldResults.find((r) => r.image === image);
      if (want.build === 'retired') return b !== undefined; // never selected by build
      if (want.build === 'unreachable') return b?.status !== 'skipped' || !/unreachable source/.test(b.reason ?? '');
      return (
        !b ||
        !['built', 'cached'].includes(b.status) ||
        smokeResults.find((s) => s.image === image)?.outcome !== want.smoke
      );
    })
    .map(([image]) => image);
  return {
    platform,
    coldMs: cold.ms,
    warmMs: warm.ms,
    cold: coldResults,
    warmStatuses,
    smokeMs: smoke.ms,
    smoke: smokeResults,
    unexpected,
  };
}
