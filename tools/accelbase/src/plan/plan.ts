// From the validated catalog (and lock) to the images to build, in build order. Pure.
import { UserError } from '../errors.js';
import type { Platform } from '../catalog/grammar.js';
import type { Lock } from '../catalog/lock.js';
import type { ImageSpec, Model, SourceType } from '../catalog/model.js';
import { lockedEnv } from './env.js';
import { floatingTags, minidebTags, tagVersion } from './tags.js';
import { ownValue } from '../lib/own.js';

export interface PlannedPackage {
  name: string;
  source: string;
  sourceType: SourceType;
  /** The catalog's version range, if any. */
  constraint?: string;
  /** Locked version per platform (empty until `accelbase update` resolved it). */
  locked: Partial<Record<Platform, string>>;
}

/** What a planned image takes from its spec unchanged (catalog/model.ts documents each). */
type SpecFields =
  | 'name'
  | 'project'
  | 'kind'
  | 'accelerator'
  | 'variant'
  | 'description'
  | 'dist'
  | 'platforms'
  | 'downloads'
  | 'debconf'
  | 'env'
  | 'labels'
  | 'device'
  | 'placement'
  | 'smoke';

/** An image as the plan builds it: its spec's fields (the name is also its bake target), and what the plan adds. */
export interface PlannedImage extends Pick<ImageSpec, SpecFields> {
  /** `<namespace>/<repo>` without a tag. */
  repository: string;
  /** The image this one is built FROM: its plan name and the reference the Dockerfile's ARG defaults to. */
  base: { name: string; ref: string } | null;
  /** Runtime version from the lock, cut for tags; null when not locked yet. */
  version: string | null;
  tags: string[];
  packages: PlannedPackage[];
  /** The rendered folder: `images/<project>`. */
  dir: string;
  /** Its Debian release's support, as locked from distro-info-data, and whether the catalog retired it. */
  support: ImageSupport;
}

export interface ImageSupport {
  /** Debian's release number (`13`). */
  debian: string;
  /** The end of security support, LTS included (undefined until `accelbase update` locked it). */
  securityEnd?: string;
  /** The end of Debian's regular security support. */
  regularSecurityEnd?: string;
  /** Retired: no rootfs, build, nightly or publish; the last published tags stay as they are. */
  retired: boolean;
}

export interface Plan {
  namespace: string;
  images: PlannedImage[];
}

/** The reference a dependant's `ARG BASE_IMAGE` defaults to: always the catalog's namespace, so renders are stable. */
export function imageRef(namespace: string, image: Pick<PlannedImage, 'project' | 'tags'>): string {
  return `${namespace}/${image.project}:${image.tags.find((t) => t !== 'latest') ?? 'latest'}`;
}

/** Bases before dependants; ties keep declaration order. */
export function buildOrder(images: Map<string, ImageSpec>): ImageSpec[] {
  const out: ImageSpec[] = [];
  const done = new Set<string>();
  const visit = (spec: ImageSpec) => {
    if (done.has(spec.name)) return;
    if (spec.base) visit(images.get(spec.base)!);
    done.add(spec.name);
    out.push(spec);
  };
  for (const spec of images.values()) visit(spec);
  return out;
}

export function planImages(model: Model, lock: Lock, opts: { namespace?: string } = {}): Plan {
  const { catalog } = model;
  const namespace = opts.namespace ?? catalog.registry.namespace;
  const planned = new Map<string, PlannedImage>();
  for (const spec of buildOrder(model.images)) {
    const locked = ownValue(lock.images, spec.name);
    const packages: PlannedPackage[] = spec.packages.map((p) => ({
      name: p.name,
      source: p.source,
      sourceType: p.sourceType,
      constraint: p.version,
      locked: Object.fromEntries(
        spec.platforms.flatMap((pl) => {
          const v = ownValue(locked?.platforms[pl]?.packages, p.name);
          return v ? [[pl, v]] : [];
        }),
      ),
    }));
    const runtime = packages.find((p) => p.name === spec.runtime);
    const runtimeVersions = new Set(Object.values(runtime?.locked ?? {}).map((v) => tagVersion(v)));
    if (runtimeVersions.size > 1) {
      throw new UserError(
        `${spec.name}: runtime ${spec.runtime} is locked to different upstream versions per platform (${[...runtimeVersions].join(', ')})`,
      );
    }
    const version = runtimeVersions.size === 1 ? [...runtimeVersions][0] : null;
    const dist = ownValue(catalog.distributions, spec.dist)!;
    const dates = lock.distributions ? ownValue(lock.distributions, spec.dist) : undefined;
    const tags =
      spec.kind === 'minideb'
        ? minidebTags(spec.dist, dist.version, spec.dist === catalog.defaultDistribution)
        : floatingTags(spec.dist, version);
    const base = spec.base ? planned.get(spec.base)! : undefined;
    planned.set(spec.name, {
      name: spec.name,
      project: spec.project,
      kind: spec.kind,
      accelerator: spec.accelerator,
      variant: spec.variant,
      description: spec.description,
      dist: spec.dist,
      repository: `${namespace}/${spec.project}`,
      base: base ? { name: base.name, ref: imageRef(catalog.registry.namespace, base) } : null,
      platforms: spec.platforms,
      version,
      tags,
      packages,
      downloads: spec.downloads,
      debconf: spec.debconf,
      env: lockedEnv(spec.env, version),
      labels: spec.labels,
      device: spec.device,
      placement: spec.placement,
      smoke: spec.smoke,
      dir: `images/${spec.project}`,
      support: {
        debian: dist.version,
        securityEnd: dates?.securityEnd,
        regularSecurityEnd: dates?.regularSecurityEnd,
        retired: dist.retired === true,
      },
    });
  }
  return { namespace, images: [...planned.values()] };
}

/** The image and its bases, nearest first: [edgetpu-max, minideb-bullseye]. */
export function baseChain(plan: Plan, image: PlannedImage): PlannedImage[] {
  const byName = new Map(plan.images.map((i) => [i.name, i]));
  const chain: PlannedImage[] = [];
  for (
    let cur: PlannedImage | undefined = image;
    cur && !chain.includes(cur);
    cur = cur.base ? byName.get(cur.base.name) : undefined
  )
    chain.push(cur);
  return chain;
}

/** Why a retired image is not built, smoked or published. */
export const retiredReason = (image: PlannedImage): string =>
  `${image.name} is on Debian ${image.support.debian} (${image.dist}), retired in the catalog${image.support.securityEnd ? ` (security support ended ${image.support.securityEnd})` : ''}: it is no longer built or published, and its last published tags stay pullable`;

/**
 * The named images plus everything they are built on, in build order; every image when none is named.
 * Images on a retired release are left out; naming one is an error. Unknown names are an error.
 */
export function selectWithBases(plan: Plan, names: string[]): PlannedImage[] {
  const live = plan.images.filter((i) => !i.support.retired);
  if (names.length === 0) return live;
  const byName = new Map(plan.images.map((i) => [i.name, i]));
  const wanted = new Set<string>();
  for (const n of names) {
    const named = byName.get(n);
    if (named?.support.retired) throw new UserError(retiredReason(named));
    const matches = named ? [named] : live.filter((i) => i.project === n || i.accelerator === n);
    if (matches.length === 0)
      throw new UserError(`unknown image "${n}" (known: ${live.map((i) => i.name).join(', ')})`);
    for (const img of matches) for (const b of baseChain(plan, img)) wanted.add(b.name);
  }
  return plan.images.filter((i) => wanted.has(i.name));
}
