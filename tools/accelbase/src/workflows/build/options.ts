// What a build run is given: the images' workspace facts, the outputs, and the hooks the workflow
// supplies (rootfs, after-push). Its own file so that build.ts and build/execute.ts both take it
// without importing each other.
import type { Catalog } from '../../catalog/schema.js';
import type { CacheMode, Provenance } from '../../config/buildx.js';
import type { RunConfig } from '../../config/run-config.js';
import type { ExportKind } from '../../docker/bake.js';
import type { PlannedImage } from '../../plan/plan.js';
import type { Reporter } from '../../reporter.js';
import type { Probe } from '../preflight.js';
import type { BuildResult } from '../state.js';
import type { PinnedBase } from './records.js';

/** push: to the registry; load: into the engine; cache: nothing kept; layout: an OCI layout only (verify). */
export type BuildOutput = ExportKind;

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
  /** After a push: facts read back from the registry (sizes), the SBOMs attached to each platform manifest (workflows/sbom.ts afterPush), and the index's signature (workflows/signing.ts). */
  afterPush?: (
    image: PlannedImage,
    result: BuildResult,
    results: ReadonlyMap<string, BuildResult>,
  ) => Promise<Pick<BuildResult, 'sizes' | 'sboms' | 'signed'>>;
  /** After a push reused as unchanged: the index signed, when a signing key is set (workflows/signing.ts). */
  afterReuse?: (
    image: PlannedImage,
    result: BuildResult,
    results: ReadonlyMap<string, BuildResult>,
  ) => Promise<Pick<BuildResult, 'signed'>>;
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
  /** Progress: each image's start, skips, reused pushes. */
  reporter: Reporter;
}
