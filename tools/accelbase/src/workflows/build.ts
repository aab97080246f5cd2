// `accelbase build`: bake each selected image (bases first) for its platforms, one progress stream,
// then a summary with digests. Sources this machine cannot reach are skipped up front.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/schema.js';
import { ExecError, UserError } from '../errors.js';
import { run } from '../exec.js';
import { info } from '../log.js';
import { buildTags } from '../plan/tags.js';
import type { PlannedImage } from '../plan/plan.js';
import { getManifest } from '../oci/registry.js';
import { writeAtomic } from '../lib/fs.js';
import { writeBuildResults, type BuildResult } from './state.js';
import { allStepsCached, bakeArgs, hostNetworkBake, metadataDigest } from '../docker/bake.js';
import { hasBridgeNetwork, requireEngine } from '../engine/engine.js';
import { unreachableImages, type Probe } from './preflight.js';

export interface BuildOptions {
  root: string;
  catalog: Catalog;
  platforms: string[];
  output: 'push' | 'load' | 'cache';
  keepGoing: boolean;
  noCache?: boolean;
  date: string;
  revision?: string;
  probe?: Probe;
  /** Every target of the bake file (the host-network override names them all). */
  allTargets: string[];
  /** Called for minideb images: bootstraps whichever rootfs tarballs are missing. */
  ensureRootfs: (dist: string, platforms: string[]) => Promise<void>;
}

export async function buildImages(images: PlannedImage[], opts: BuildOptions): Promise<BuildResult[]> {
  const { env, docker } = await requireEngine();
  const buildx = await run(docker, ['buildx', 'version'], { env, allowFailure: true });
  if (buildx.exitCode !== 0) {
    throw new UserError('docker buildx is not available: run `accelbase engine up` (on Debian it provisions dockerd and buildx from Debian packages), or install the buildx plugin');
  }
  const workDir = join(opts.root, '.accelbase', 'build');
  mkdirSync(workDir, { recursive: true });
  const hostNetworkFile = (await hasBridgeNetwork()) ? undefined : join(workDir, 'host-network.json');
  if (hostNetworkFile) writeAtomic(hostNetworkFile, hostNetworkBake(opts.allTargets));
  const skips = await unreachableImages(images, opts.catalog, opts.probe);
  for (const [image, reason] of skips) info(`skip ${image}: ${reason}`);

  const results = new Map<string, BuildResult>();
  const created = new Date().toISOString();
  let stop = false;
  for (const image of images) {
    const platforms = opts.platforms.length ? image.platforms.filter((p) => opts.platforms.includes(p)) : image.platforms;
    const tags = buildTags(image.dist, image.version, opts.date, opts.revision).map((t) => `${image.repository}:${t}`);
    const result: BuildResult = { image: image.name, repository: image.repository, platforms, status: 'skipped', tags, durationS: 0 };
    results.set(image.name, result);
    const base = image.base ? results.get(image.base.name) : undefined;
    if (stop) result.reason = 'an earlier image failed (use --keep-going to continue)';
    else if (skips.has(image.name)) result.reason = skips.get(image.name);
    else if (platforms.length === 0) result.reason = `not built for ${opts.platforms.join(', ')}`;
    else if (base && (base.status === 'skipped' || base.status === 'failed')) result.reason = `base ${base.image} ${base.status}`;
    if (result.reason) continue;

    if (image.kind === 'minideb') {
      await opts.ensureRootfs(image.dist, platforms);
    }
    const metadataFile = join(workDir, `${image.name}.metadata.json`);
    const baseOverride = base?.digest && opts.output !== 'cache' ? { ref: image.base!.ref, image: `${base.repository}@${base.digest}` } : undefined;
    const args = bakeArgs(image, { bakeFile: join(opts.root, 'docker-bake.json'), metadataFile, platforms, tags, output: opts.output, hostNetworkFile, created, baseOverride, noCache: opts.noCache });
    info(`\n==> ${image.name} (${platforms.join(', ')})`);
    const start = performance.now();
    try {
      const r = await run(docker, args, {
        cwd: opts.root,
        env: { ...env, REGISTRY: image.repository.slice(0, image.repository.lastIndexOf('/')), REVISION: opts.revision ?? '' },
        tee: true,
      });
      result.status = allStepsCached(r.stderr) ? 'cached' : 'built';
      // A cache-only build leaves nothing addressable behind: no digest to smoke or build on.
      // A pushed image is read back from the registry: on a cache hit buildx's metadata can name the
      // local index while the push created a new one (fresh attestations).
      if (opts.output === 'push') result.digest = (await getManifest(image.repository, tags[0].slice(tags[0].lastIndexOf(':') + 1))).digest;
      else if (opts.output === 'load') result.digest = metadataDigest(JSON.parse(readFileSync(metadataFile, 'utf8')), image.name);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      result.status = 'failed';
      result.reason = e.stderrTail.split('\n').filter((l) => /ERROR|error:/.test(l)).pop() ?? `exit code ${e.exitCode}`;
      if (!opts.keepGoing) stop = true;
    }
    result.durationS = (performance.now() - start) / 1000;
  }
  const list = [...results.values()];
  writeBuildResults(opts.root, { date: opts.date, output: opts.output, results: list });
  return list;
}

export function summaryTable(results: BuildResult[]): string {
  const rows = results.map((r) => [r.image, r.platforms.map((p) => p.replace('linux/', '')).join(','), r.status, r.digest ? r.digest.slice(0, 19) : '-', `${r.durationS.toFixed(1)}s`, r.reason ?? '']);
  const head = ['IMAGE', 'PLATFORMS', 'STATUS', 'DIGEST', 'TIME', 'REASON'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}
