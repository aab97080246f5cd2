// `build`: bake each selected image (bases first) for its platforms, one progress stream, then a
// summary with digests. Sources this machine cannot reach are skipped up front. The plan
// (build/plan.ts) decides what each image's bake is; build/execute.ts runs it; build/records.ts
// writes what the build leaves behind.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../config/run-config.js';
import { requireEngine } from '../engine/engine.js';
import { UserError } from '../errors.js';
import { headRevision } from '../git.js';
import { sha256File, sha256Hex } from '../lib/fs.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import type { Reporter } from '../reporter.js';
import { utcDate } from '../plan/tags.js';
import { ensureRootfs } from '../rootfs/ensure.js';
import { ownValue } from '../lib/own.js';
import { bakeSetupOnce, executeStep, type StepContext } from './build/execute.js';
import type { BuildOptions, BuildOutput } from './build/options.js';
import { planBuild } from './build/plan.js';
import { pinnedResult, writeBuildRecords } from './build/records.js';
import { afterPush, sbomFacts } from './sbom.js';
import { openRunSigning, signedAfterPush, signedAfterReuse } from './signing.js';
import { unreachableImages } from './preflight.js';
import { partsFile, type BuildResult } from './state.js';
import { readInputRecords, type BakeTarget } from './unchanged.js';
import type { OpenWorkspace } from './workspace.js';

export { layoutDirOf } from './build/plan.js';
export type { PinnedBase } from './build/records.js';
export type { BuildOptions, BuildOutput };

export async function buildImages(images: PlannedImage[], opts: BuildOptions): Promise<BuildResult[]> {
  const { reporter } = opts;
  const engine = await requireEngine(opts.config);
  const workDir = join(opts.root, '.accelbase', 'build');
  mkdirSync(workDir, { recursive: true });
  const bakeFile = join(opts.root, 'docker-bake.json');
  const pinned = opts.pinnedBases ?? [];
  const ctx: StepContext = {
    engine,
    options: opts,
    reporter,
    results: new Map(pinned.map((b) => [b.image, pinnedResult(b)])),
    epochs: new Map(pinned.map((b) => [b.image, b.epoch])),
    bakeTargets: JSON.parse(readFileSync(bakeFile, 'utf8')).target as Record<string, BakeTarget>,
    // Only a tagged push is recorded, and only one can be reused (unchanged.ts).
    records: opts.output === 'push' && !opts.parts ? readInputRecords(opts.root) : undefined,
    bakeSetup: bakeSetupOnce(engine, { workDir, allTargets: opts.allTargets, config: opts.config, reporter }),
    stop: false,
  };
  const unreachable = await unreachableImages(images, opts.catalog, opts.probe);
  for (const [image, reason] of unreachable) reporter.info(`skip ${image}: ${reason}`);
  for (const step of planBuild(images, { ...opts, unreachable })) {
    const result = await executeStep(step, ctx);
    if (result.status === 'failed' && !opts.keepGoing) ctx.stop = true;
  }
  const pinnedNames = new Set(pinned.map((b) => b.image));
  const list = [...ctx.results.values()].filter((r) => !pinnedNames.has(r.image));
  writeBuildRecords(list, images, opts);
  return list;
}

export interface BuildRequest {
  /** Images (or accelerators/projects) to build; empty: all. Their bases come along. */
  names: string[];
  platforms: string[];
  output: BuildOutput;
  keepGoing: boolean;
  noCache?: boolean;
  /** YYYYMMDD for the dated build tag; today (UTC) by default. */
  date?: string;
  /** Source revision for the `sha-` tag and label; HEAD by default. */
  revision?: string;
  /** The run's settings: the builder, the cache mode, provenance, the engine, rootfs bootstrap. */
  config: RunConfig;
  /** `--push-by-digest`: one platform, pushed by digest, parts recorded in `results` (or the default file). */
  pushByDigest?: boolean;
  results?: string;
  /** Progress: each image's start, skips, reused pushes. */
  reporter: Reporter;
}

/** `build` over a workspace: selection, bases, rootfs tarballs, tags. */
export async function buildWorkspace(ws: OpenWorkspace, r: BuildRequest): Promise<BuildResult[]> {
  const revision = r.revision ?? (await headRevision(ws.root));
  let parts: BuildOptions['parts'];
  if (r.pushByDigest) {
    if (r.output !== 'push') throw new UserError('--push-by-digest pushes: it excludes --load (and implies --push)', 2);
    if (r.platforms.length !== 1)
      throw new UserError(
        `--push-by-digest builds one platform: give exactly one --platform (got ${r.platforms.length ? r.platforms.join(', ') : 'none'})`,
        2,
      );
    if (!revision)
      throw new UserError(
        '--push-by-digest records the commit the parts came from: run inside a git checkout or give --revision',
        2,
      );
    parts = { file: r.results ?? partsFile(ws.root, r.platforms[0]), lockHash: await lockHashOf(ws.ws.lockFile) };
  } else if (r.results) throw new UserError('--results records a split build: it goes with --push-by-digest', 2);
  const date = r.date ?? utcDate();
  // Before anything is baked: a key that cannot be used stops the build here. Parts pushed by digest
  // are not indexes: `merge` signs what it makes of them.
  const session = r.output === 'push' && !r.pushByDigest ? await openRunSigning(r) : undefined;
  const signing = session && {
    session,
    facts: {
      ws,
      revision,
      date,
      lockHash: await lockHashOf(ws.ws.lockFile),
      builder: r.config.builder,
      sbomFacts: sbomFacts(ws),
    },
  };
  try {
    return await buildImages(selectWithBases(ws.plan, r.names), {
      reporter: r.reporter,
      root: ws.root,
      catalog: ws.model.catalog,
      platforms: r.platforms,
      output: r.output,
      keepGoing: r.keepGoing,
      noCache: r.noCache,
      allTargets: ws.plan.images.map((i) => i.name),
      date,
      revision,
      builder: r.config.builder,
      cache: r.config.cacheMode,
      parts,
      lockUpdated: (name) => ownValue(ws.lock.images, name)?.updated,
      provenance: r.config.provenance,
      ensureRootfs: (dist, platforms) => ensureRootfs(ws.root, dist, platforms, r.config),
      afterPush: signedAfterPush(afterPush(ws, date, r.reporter), signing),
      ...(signing ? { afterReuse: signedAfterReuse(signing) } : {}),
      config: r.config,
    });
  } finally {
    session?.dispose();
  }
}

/** What `merge` checks every part against: the lock file's bytes (a missing lock hashes as empty). */
export async function lockHashOf(lockFile: string): Promise<string> {
  return `sha256:${existsSync(lockFile) ? await sha256File(lockFile) : sha256Hex('')}`;
}
