// One image as `accelbase tags` offers it: the reference and FROM line to paste, and the facts to choose by.
import type { Platform } from '../catalog/grammar.js';
import type { ImageSupport, Plan, PlannedImage } from '../plan/plan.js';
import { mostSpecificTag } from '../plan/tags.js';
import { runtimeOf } from './contents.js';
import { compareVersions, type PackageVersions } from './versions.js';

/** What the registry publishes under an image's reference (workflows/published.ts reads it). */
export interface ShowPublished {
  ref: string;
  /** The index digest; null where the registry does not have the reference. */
  digest: string | null;
  platforms: Record<
    string,
    {
      digest: string;
      size: number;
      revision?: string;
      created?: string;
      version?: string;
      supportEnd?: string;
      /** Installed packages in its SBOM referrer; null where none is attached. */
      packageCount: number | null;
      /** Its smoke referrer's outcome; null where none is attached. */
      smoke: string | null;
    }
  >;
}

export interface TagCandidate {
  name: string;
  accelerator?: string;
  variant?: string;
  dist: string;
  repository: string;
  /** The most specific floating tag (or, checked against a registry, the tag that exists there). */
  tag: string;
  /** Every floating tag, most specific last. */
  tags: string[];
  ref: string;
  /** The line to paste into a Dockerfile. */
  from: string;
  platforms: Platform[];
  /** Upstream runtime version the tags are cut from; null until locked. */
  version: string | null;
  runtime: PackageVersions | null;
  /** The package `--runtime` matched, when one was asked for. */
  matched?: PackageVersions;
  /** Set once checked against a registry (`--registry`). */
  inRegistry?: boolean;
  /** Set by `--pin`. */
  digest?: string;
  /** With `--registry`, for a tag found there: what the registry publishes under it. */
  published?: ShowPublished;
  /** The release's security-support end, and whether the catalog retired it. */
  support: ImageSupport;
}

/** `repo:tag[@digest]` and the FROM line that builds on it. */
export function referenceTo(repository: string, tag: string, digest?: string): { ref: string; from: string } {
  const ref = `${repository}:${tag}${digest ? `@${digest}` : ''}`;
  return { ref, from: `FROM ${ref}` };
}

export function candidateOf(plan: Plan, runtimes: Map<string, string>, img: PlannedImage): TagCandidate {
  const tag = mostSpecificTag(img);
  return {
    name: img.name,
    accelerator: img.accelerator,
    variant: img.variant,
    dist: img.dist,
    repository: img.repository,
    tag,
    tags: img.tags,
    ...referenceTo(img.repository, tag),
    platforms: img.platforms,
    version: img.version,
    runtime: runtimeOf(plan, runtimes, img),
    support: img.support,
  };
}

/** Newest runtime version first (unlocked last), then image name. */
export function byNewest(a: Pick<TagCandidate, 'name' | 'version'>, b: Pick<TagCandidate, 'name' | 'version'>): number {
  if (a.version !== b.version) {
    if (a.version === null) return 1;
    if (b.version === null) return -1;
    const c = compareVersions(b.version, a.version);
    if (c !== 0) return c;
  }
  return a.name.localeCompare(b.name);
}
