// `build`: bake each selected image (bases first) for its platforms, one progress stream, then a
// summary with digests. Sources this machine cannot reach are skipped up front.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { layoutRoot, pushLayout } from '../oci/upload.js';
import { join } from 'node:path';
import type { Catalog } from '../catalog/schema.js';
import { proxyEnv, resolveAptProxy } from '../engine/package-cache.js';
import {
  allStepsCached,
  bakeArgs,
  cacheSpecs,
  type CacheMode,
  type Provenance,
  hostNetworkBake,
  metadataDigest,
  runBake,
} from '../docker/bake.js';
import { hasBridgeNetwork, requireEngine } from '../engine/engine.js';
import type { RunConfig } from '../config/run-config.js';
import { ExecError, UserError } from '../errors.js';
import { run } from '../exec.js';
import { headRevision } from '../git.js';
import { sha256File, sha256Hex, writeAtomic } from '../lib/fs.js';
import { namespaceOf, splitTag } from '../oci/reference.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { buildTags, utcDate } from '../plan/tags.js';
import { ensureRootfs } from '../rootfs/ensure.js';
import { createdAt, derivedEpoch } from '../rootfs/epoch.js';
import { ownValue } from '../lib/own.js';
import type { Reporter } from '../reporter.js';
import { installedInImage } from './installed.js';
import { afterPush } from './sbom.js';
import { unreachableImages, type Probe } from './preflight.js';
import { partsFile, writeBuildResults, writePartsFile, type BuildPart, type BuildResult } from './state.js';
import {
  currentInputs,
  readInputRecords,
  recordOf,
  reusablePush,
  writeInputRecord,
  type BakeTarget,
} from './unchanged.js';
import type { OpenWorkspace } from './workspace.js';

/** push: to the registry; load: into the engine; cache: nothing kept; layout: an OCI layout only (verify). */
export type BuildOutput = 'push' | 'load' | 'cache' | 'layout';

/** Where a build writes an image's OCI layout before pushing it (and leaves it, for `layout`). */
export const layoutDirOf = (root: string, image: string): string => join(root, '.accelbase', 'build', `${image}.oci`);

/** A base not built in this run, pinned by digest (verify rebuilds one image on the base it was built on). */
export interface PinnedBase {
  image: string;
  repository: string;
  digest: string;
  /** The base's SOURCE_DATE_EPOCH (its config's `created`). */
  epoch: number;
}

export interface BuildOptions {
  root: string;
  catalog: Catalog;
  platforms: string[];
  output: BuildOutput;
  keepGoing: boolean;
  noCache?: boolean;
  date: string;
  revision?: string;
  probe?: Probe;
  /** Every target of the bake file (the host-network override names them all). */
  allTargets: string[];
  /** The lock's `updated` date of an image (part of its SOURCE_DATE_EPOCH). */
  lockUpdated?: (image: string) => string | undefined;
  provenance?: Provenance;
  pinnedBases?: PinnedBase[];
  /** After a push: facts read back from the registry (sizes) and the SBOMs attached to each platform manifest (workflows/sbom.ts afterPush). */
  afterPush?: (
    image: PlannedImage,
    result: BuildResult,
    results: ReadonlyMap<string, BuildResult>,
  ) => Promise<Pick<BuildResult, 'sizes' | 'sboms'>>;
  /** Called for minideb images: bootstraps whichever rootfs tarballs are missing. */
  ensureRootfs: (dist: string, platforms: string[]) => Promise<Record<string, number>>;
  /** A buildx builder other than the current one. */
  builder?: string;
  /** Build cache per image and platform set (default: registry when pushing, else none). */
  cache?: CacheMode;
  /** Split build: push each image for its one platform by digest; the parts go to `parts.file`. */
  parts?: { file: string; lockHash: string };
  /** The run's settings: the engine to build on and the package proxy (ACCELBASE_APT_PROXY). */
  config: RunConfig;
  reporter: Reporter;
}

/** Why an image is not built this run, or undefined when it is. */
function skipReason(
  image: PlannedImage,
  platforms: string[],
  base: BuildResult | undefined,
  o: { stop: boolean; skips: Map<string, string>; wanted: string[] },
): string | undefined {
  if (o.stop) return 'an earlier image failed (use --keep-going to continue)';
  if (o.skips.has(image.name)) return o.skips.get(image.name);
  if (platforms.length === 0) return `not built for ${o.wanted.join(', ')}`;
  if (base && (base.status === 'skipped' || base.status === 'failed')) return `base ${base.image} ${base.status}`;
  return undefined;
}

export async function buildImages(images: PlannedImage[], opts: BuildOptions): Promise<BuildResult[]> {
  const engine = await requireEngine(opts.config);
  const workDir = join(opts.root, '.accelbase', 'build');
  mkdirSync(workDir, { recursive: true });
  // What a bake needs from the engine, asked once and only when something is baked: a run where every
  // image is unchanged spawns no docker process.
  let setup: Promise<{ hostNetworkFile?: string; proxyArgs: Record<string, string> }> | undefined;
  const bakeSetup = () =>
    (setup ??= (async () => {
      const buildx = await run(engine.docker, ['buildx', 'version'], { env: engine.env, allowFailure: true });
      if (buildx.exitCode !== 0) {
        throw new UserError(
          'docker buildx is not available: run `accelbase engine up` (on Debian it provisions dockerd and buildx from Debian packages), or install the buildx plugin',
        );
      }
      const hostNetworkFile = (await hasBridgeNetwork(opts.config)) ? undefined : join(workDir, 'host-network.json');
      if (hostNetworkFile) writeAtomic(hostNetworkFile, hostNetworkBake(opts.allTargets));
      // The package cache listens on the host's loopback: only RUN steps on the host network reach it.
      const aptProxy = hostNetworkFile ? await resolveAptProxy(opts.config.aptProxy) : undefined;
      if (aptProxy) opts.reporter.info(`packages are fetched through the package cache at ${aptProxy}`);
      return { hostNetworkFile, proxyArgs: proxyEnv(aptProxy) };
    })());
  const bakeFile = join(opts.root, 'docker-bake.json');
  const bakeTargets = JSON.parse(readFileSync(bakeFile, 'utf8')).target as Record<string, BakeTarget>;
  // Only a tagged push is recorded, and only one can be reused (unchanged.ts).
  const records = opts.output === 'push' && !opts.parts ? readInputRecords(opts.root) : undefined;
  const skips = await unreachableImages(images, opts.catalog, opts.probe);
  for (const [image, reason] of skips) opts.reporter.info(`skip ${image}: ${reason}`);

  const cacheMode = opts.cache ?? (opts.output === 'push' ? 'registry' : 'none');
  const results = new Map<string, BuildResult>();
  const epochs = new Map<string, number>();
  for (const b of opts.pinnedBases ?? []) {
    results.set(b.image, {
      image: b.image,
      repository: b.repository,
      platforms: [],
      status: 'cached',
      tags: [],
      durationS: 0,
      digest: b.digest,
    });
    epochs.set(b.image, b.epoch);
  }
  let stop = false;
  for (const image of images) {
    const platforms = opts.platforms.length
      ? image.platforms.filter((p) => opts.platforms.includes(p))
      : image.platforms;
    const tags = buildTags(image, opts.date, opts.revision).map((t) => `${image.repository}:${t}`);
    const result: BuildResult = {
      image: image.name,
      repository: image.repository,
      platforms,
      status: 'skipped',
      tags,
      durationS: 0,
    };
    results.set(image.name, result);
    const base = image.base ? results.get(image.base.name) : undefined;
    result.reason = skipReason(image, platforms, base, { stop, skips, wanted: opts.platforms });
    if (result.reason) continue;

    // An image that cannot be built (its rootfs, its bake, its push) fails alone with --keep-going.
    const fail = (e: unknown, start: number) => {
      if (!(e instanceof ExecError) && !(e instanceof UserError)) throw e;
      result.status = 'failed';
      // One line for the summary's table; a multi-line message (a rootfs's apt tail) goes to the log whole.
      result.reason =
        e instanceof ExecError
          ? (e.stderrTail
              .split('\n')
              .filter((l) => /ERROR|error:/.test(l))
              .pop() ?? `exit code ${e.exitCode}`)
          : e.message.split('\n')[0];
      result.durationS = (performance.now() - start) / 1000;
      if (e instanceof UserError && e.message.includes('\n')) opts.reporter.info(`${image.name} failed: ${e.message}`);
      if (!opts.keepGoing) stop = true;
    };
    let epoch: number;
    const preparing = performance.now();
    try {
      epoch =
        image.kind === 'minideb'
          ? Math.max(...Object.values(await opts.ensureRootfs(image.dist, platforms)))
          : derivedEpoch(epochs.get(image.base!.name) ?? 0, opts.lockUpdated?.(image.name));
    } catch (e) {
      fail(e, preparing);
      continue;
    }
    epochs.set(image.name, epoch);
    const metadataFile = join(workDir, `${image.name}.metadata.json`);
    // Split builds: the base is the part this run pushed for the same platform.
    const baseOverride =
      base?.digest && opts.output !== 'cache'
        ? { ref: image.base!.ref, image: `${base.repository}@${base.digest}` }
        : undefined;
    const cache = cacheSpecs(cacheMode, {
      repository: image.repository,
      image: image.name,
      platforms,
      localDir: join(opts.root, '.accelbase', 'cache'),
    });
    const layoutDir = layoutDirOf(opts.root, image.name);
    const bake = {
      bakeFile,
      metadataFile,
      platforms,
      tags,
      output: opts.output,
      layoutDir,
      sourceDateEpoch: epoch,
      created: createdAt(epoch),
      provenance: opts.provenance,
      baseOverride,
      noCache: opts.noCache,
      cache,
    };
    const bakeEnv = { REGISTRY: namespaceOf(image.repository), REVISION: opts.revision ?? '' };
    opts.reporter.info(`\n==> ${image.name} (${platforms.join(', ')})`);
    const start = performance.now();
    // A tagged push of the very inputs the registry already serves: nothing to build (unchanged.ts).
    const target = Object.hasOwn(bakeTargets, image.name) ? bakeTargets[image.name] : undefined;
    // --no-cache always bakes, and records what it pushed like any build (it is not an input: same digest).
    const inputs =
      records && target
        ? await currentInputs(
            opts.root,
            target,
            { args: bakeArgs(image, { ...bake, noCache: false }), env: bakeEnv },
            recordOf(records, image.name),
          )
        : undefined;
    const reused = inputs && !opts.noCache && (await reusablePush(image.repository, tags, inputs));
    if (reused) {
      Object.assign(result, reused, {
        status: 'cached',
        reason: 'unchanged: the same inputs as its last push, which the registry still serves',
        durationS: (performance.now() - start) / 1000,
      });
      opts.reporter.info(`unchanged since its last push (${reused.digest}): not rebuilt`);
      continue;
    }
    rmSync(layoutDir, { recursive: true, force: true });
    const { hostNetworkFile, proxyArgs } = await bakeSetup(); // no buildx fails the command, not the image
    try {
      const args = bakeArgs(image, { ...bake, hostNetworkFile, builder: opts.builder, proxyArgs });
      const r = await runBake(engine, args, { cwd: opts.root, env: bakeEnv });
      result.status = allStepsCached(r.stderr) ? 'cached' : 'built';
      // A cache-only build leaves nothing addressable behind: no digest to smoke or build on.
      if (opts.output === 'push') {
        // The layout, by digest, and for a tagged push under the build tags once everything is in.
        result.digest = await pushLayout(layoutDir, image.repository, {
          from: base ? [base.repository] : [],
          tags: opts.parts ? [] : tags.map((t) => splitTag(t).tag!),
        });
        rmSync(layoutDir, { recursive: true, force: true });
        result.installed = await installedPerPlatform(image.repository, result.digest, platforms);
        if (opts.afterPush && !opts.parts) Object.assign(result, await opts.afterPush(image, result, results));
        if (records && inputs)
          writeInputRecord(opts.root, records, image.name, inputs, {
            ...result,
            durationS: (performance.now() - start) / 1000,
          });
      } else if (opts.output === 'layout') result.digest = layoutRoot(layoutDir).digest;
      else if (opts.output === 'load')
        result.digest = metadataDigest(JSON.parse(readFileSync(metadataFile, 'utf8')), image.name);
      result.durationS = (performance.now() - start) / 1000;
    } catch (e) {
      // bake failed (ExecError), or pushing its layout did (UserError: the registry's answer).
      fail(e, start);
    }
  }
  const pinned = new Set((opts.pinnedBases ?? []).map((b) => b.image));
  const list = [...results.values()].filter((r) => !pinned.has(r.image));
  writeBuildResults(opts.root, { date: opts.date, output: opts.output, results: list });
  if (opts.parts)
    writeParts(list, images, opts as BuildOptions & { parts: NonNullable<BuildOptions['parts']>; revision: string });
  return list;
}

/** The parts file of a split build: every image pushed by digest, with the part of its base. */
function writeParts(
  list: BuildResult[],
  images: PlannedImage[],
  opts: BuildOptions & { parts: NonNullable<BuildOptions['parts']>; revision: string },
): void {
  const byName = new Map(list.map((r) => [r.image, r]));
  const parts: BuildPart[] = [];
  for (const r of list) {
    if (!r.digest || (r.status !== 'built' && r.status !== 'cached')) continue;
    const image = images.find((i) => i.name === r.image)!;
    const baseDigest = image.base ? byName.get(image.base.name)?.digest : undefined;
    const platform = r.platforms[0];
    parts.push({
      image: r.image,
      repository: r.repository,
      platform,
      digest: r.digest,
      ...(baseDigest ? { baseDigest } : {}),
      status: r.status,
      durationS: r.durationS,
      ...(r.installed?.[platform] ? { installed: r.installed[platform] } : {}),
    });
  }
  writePartsFile(opts.parts.file, {
    version: 1,
    platform: opts.platforms[0],
    revision: opts.revision,
    lockHash: opts.parts.lockHash,
    date: opts.date,
    parts,
  });
  opts.reporter.info(
    `build: ${parts.length} part${parts.length === 1 ? '' : 's'} for ${opts.platforms[0]} in ${opts.parts.file}`,
  );
}

async function installedPerPlatform(
  repository: string,
  digest: string,
  platforms: string[],
): Promise<Record<string, Record<string, string>>> {
  const installed: Record<string, Record<string, string>> = {};
  for (const p of platforms) installed[p] = await installedInImage(repository, digest, p);
  return installed;
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
  /** `--builder`, else ACCELBASE_BUILDER (the run config's), else buildx's current builder. */
  builder?: string;
  /** `--cache`, else ACCELBASE_CACHE (the run config's), else registry when pushing and none otherwise. */
  cache?: CacheMode;
  /** The run's settings (provenance, the engine, rootfs bootstrap) and where progress goes. */
  config: RunConfig;
  reporter: Reporter;
  /** `--push-by-digest`: one platform, pushed by digest, parts recorded in `results` (or the default file). */
  pushByDigest?: boolean;
  results?: string;
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
  return buildImages(selectWithBases(ws.plan, r.names), {
    root: ws.root,
    catalog: ws.model.catalog,
    platforms: r.platforms,
    output: r.output,
    keepGoing: r.keepGoing,
    noCache: r.noCache,
    allTargets: ws.plan.images.map((i) => i.name),
    date,
    revision,
    builder: r.builder,
    cache: r.cache,
    parts,
    lockUpdated: (name) => ownValue(ws.lock.images, name)?.updated,
    provenance: r.config.provenance,
    ensureRootfs: (dist, platforms) => ensureRootfs(ws.root, dist, platforms, r.config),
    afterPush: afterPush(ws, date, r.reporter),
    config: r.config,
    reporter: r.reporter,
  });
}

/** What `merge` checks every part against: the lock file's bytes (a missing lock hashes as empty). */
export async function lockHashOf(lockFile: string): Promise<string> {
  return `sha256:${existsSync(lockFile) ? await sha256File(lockFile) : sha256Hex('')}`;
}
