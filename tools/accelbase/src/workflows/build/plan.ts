// What `build` will do, decided before anything runs: one step per image with its platforms, tags,
// skip reason, epoch source, base, cache specs and bake invocation. Pure: no I/O, no clock (the
// date and revision are inputs). What a step can only learn while the build runs (its base's digest
// and epoch, whether its base failed, its rootfs tarballs' epoch) goes into the pure functions below
// as facts; execute.ts gathers them.
import { join } from 'node:path';
import type { CacheMode, Provenance } from '../../config/buildx.js';
import {
  attestSpec,
  type BakeInvocation,
  cacheSpecs,
  type CacheSpecs,
  type ExportKind,
  HOST_NETWORK,
  outputSpec,
  targetOverrides,
} from '../../docker/bake.js';
import { namespaceOf } from '../../oci/reference.js';
import type { PlannedImage } from '../../plan/plan.js';
import { buildTags } from '../../plan/tags.js';
import { createdAt, derivedEpoch } from '../../rootfs/epoch.js';
import type { BuildResult } from '../state.js';

export interface BuildPlanOptions {
  root: string;
  /** The platforms asked for; empty: each image's own. */
  platforms: string[];
  output: ExportKind;
  noCache?: boolean;
  /** YYYYMMDD of the dated build tag. */
  date: string;
  revision?: string;
  builder?: string;
  /** Build cache per image and platform set (default: registry when pushing, else none). */
  cache?: CacheMode;
  provenance?: Provenance;
  /** The lock's `updated` date of an image (part of its SOURCE_DATE_EPOCH). */
  lockUpdated?: (image: string) => string | undefined;
  /** Images not built and why, known up front (preflight: unreachable sources and what is built on them). */
  unreachable?: ReadonlyMap<string, string>;
}

export interface BuildStep {
  image: PlannedImage;
  /** The image's platforms among those asked for. */
  platforms: string[];
  /** Full references (`repository:tag`): the dated and `sha-` build tags, never floating ones. */
  tags: string[];
  /** Why it is not built, where that is known before anything runs. */
  skip?: string;
  /** SOURCE_DATE_EPOCH, derived from the inputs and never the wall clock: a minideb's rootfs tarballs, else the base's epoch and the lock date. */
  epoch: { rootfs: string } | { base?: string; lockUpdated?: string };
  cache?: CacheSpecs;
  /** Where buildx writes the OCI layout (push, layout) and its metadata. */
  layoutDir: string;
  metadataFile: string;
  bakeFile: string;
  /** The bake file's variables. */
  bakeEnv: Record<string, string>;
}

/** Where a build writes an image's OCI layout before pushing it (and leaves it, for `layout`). */
export const layoutDirOf = (root: string, image: string): string => join(root, '.accelbase', 'build', `${image}.oci`);

/** One step per image, in the images' order (bases first). */
export function planBuild(images: readonly PlannedImage[], o: BuildPlanOptions): BuildStep[] {
  const cacheMode = o.cache ?? (o.output === 'push' ? 'registry' : 'none');
  const workDir = join(o.root, '.accelbase', 'build');
  return images.map((image) => {
    const platforms = o.platforms.length ? image.platforms.filter((p) => o.platforms.includes(p)) : image.platforms;
    const skip =
      o.unreachable?.get(image.name) ?? (platforms.length ? undefined : `not built for ${o.platforms.join(', ')}`);
    return {
      image,
      platforms,
      tags: buildTags(image, o.date, o.revision).map((t) => `${image.repository}:${t}`),
      ...(skip ? { skip } : {}),
      epoch:
        image.kind === 'minideb'
          ? { rootfs: image.dist }
          : { base: image.base?.name, lockUpdated: o.lockUpdated?.(image.name) },
      cache: cacheSpecs(cacheMode, {
        repository: image.repository,
        image: image.name,
        platforms,
        localDir: join(o.root, '.accelbase', 'cache'),
      }),
      layoutDir: layoutDirOf(o.root, image.name),
      metadataFile: join(workDir, `${image.name}.metadata.json`),
      bakeFile: join(o.root, 'docker-bake.json'),
      bakeEnv: { REGISTRY: namespaceOf(image.repository), REVISION: o.revision ?? '' },
    };
  });
}

/** Why a step is not built, given the run so far: an earlier failure stops the rest, a base that was not built skips its dependants. */
export function skipReason(step: BuildStep, run: { stop: boolean; base: BuildResult | undefined }): string | undefined {
  if (run.stop) return 'an earlier image failed (use --keep-going to continue)';
  if (step.skip) return step.skip;
  const { base } = run;
  if (base && (base.status === 'skipped' || base.status === 'failed')) return `base ${base.image} ${base.status}`;
  return undefined;
}

/** The step's SOURCE_DATE_EPOCH: the newest of its rootfs tarballs', else derived from its base's (0 when unknown). */
export function stepEpoch(
  step: BuildStep,
  facts: { rootfsEpochs?: Record<string, number>; baseEpoch?: number },
): number {
  if ('rootfs' in step.epoch) return Math.max(...Object.values(facts.rootfsEpochs ?? {}));
  return derivedEpoch(facts.baseEpoch ?? 0, step.epoch.lockUpdated);
}

/** What the run knows when a step bakes. */
export interface StepFacts {
  epoch: number;
  /** The base as built (or pinned) in this run. */
  base?: BuildResult;
  /** Set when the engine has no bridge network (docker/bake.ts hostNetworkBake). */
  hostNetworkFile?: string;
  /**
   * http_proxy / no_proxy for RUN steps (the package cache): build args BuildKit predefines, so they
   * stay out of cache keys and image history unless a Dockerfile declares them.
   */
  proxyArgs?: Record<string, string>;
}

/**
 * The base reference -> the exact image this run built (or pinned) for it, so bake need not rebuild
 * the chain (split builds: the part this run pushed for the same platform). A cache-only base has no
 * digest; a cache-only build keeps the bake file's chaining.
 */
export function baseOverride(
  step: BuildStep,
  base: BuildResult | undefined,
  output: ExportKind,
): { ref: string; image: string } | undefined {
  return base?.digest && output !== 'cache' && step.image.base
    ? { ref: step.image.base.ref, image: `${base.repository}@${base.digest}` }
    : undefined;
}

/**
 * The bake of one step: its one target with the build tags (replacing the file's floating tags; in
 * a layout they only name entries), the created label and SOURCE_DATE_EPOCH of its epoch, its
 * exporter, cache and attestation, and its base pinned by digest.
 */
export function stepBake(
  step: BuildStep,
  facts: StepFacts,
  o: Pick<BuildPlanOptions, 'output' | 'provenance' | 'noCache' | 'builder'>,
): BakeInvocation {
  const target = step.image.name;
  const base = baseOverride(step, facts.base, o.output);
  return {
    files: [step.bakeFile, ...(facts.hostNetworkFile ? [facts.hostNetworkFile] : [])],
    ...(facts.hostNetworkFile ? { allow: [HOST_NETWORK] } : {}),
    ...(o.builder ? { builder: o.builder } : {}),
    metadataFile: step.metadataFile,
    set: [
      ...targetOverrides('*', { platform: step.platforms }),
      ...targetOverrides(target, {
        tags: step.tags,
        labels: { 'org.opencontainers.image.created': createdAt(facts.epoch) },
        args: { SOURCE_DATE_EPOCH: String(facts.epoch), ...facts.proxyArgs },
        output: outputSpec(o.output, step.layoutDir),
        'cache-from': step.cache?.from,
        'cache-to': step.cache?.to,
        attest: attestSpec(o.provenance),
        ...(base ? { contexts: { [base.ref]: `docker-image://${base.image}` } } : {}),
      }),
    ],
    ...(o.noCache ? { noCache: true } : {}),
    targets: [target],
  };
}
