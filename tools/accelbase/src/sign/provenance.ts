// The SLSA provenance v1 predicate accelbase writes for an index from what it knows: the commit, the
// catalog and lock files' hashes, the bake target, the bases' digests and the builder. Nothing in it
// changes between two builds of the same inputs (no clock times, no invocation ID), unlike BuildKit's
// provenance, so an unchanged rebuild attests nothing new. Pure.
import { PREDICATE_TYPES, type Predicate } from './predicates.js';

/** What the build of one index knew. */
export interface ProvenanceFacts {
  /** The bake target (the image's name in docker-bake.json). */
  target: string;
  repository: string;
  platforms: readonly string[];
  /** The commit the catalog was read at; undefined outside a git checkout. */
  revision?: string;
  /** `sha256:<hex>` of catalog.yaml and catalog.lock.yaml. */
  catalog: string;
  lock: string;
  /** The images it was built on, with the digests the build used. */
  bases: readonly { image: string; repository: string; digest: string }[];
  /** minideb: the root filesystem tarball of each platform it was made from, by sha256. */
  rootfs?: readonly { platform: string; sha256: string }[];
  /** accelbase's version, and the buildx builder when one was named. */
  accelbase: string;
  builder?: string;
}

/** The build type: a bake of one accelbase catalog target, its parameters as below. */
export const BUILD_TYPE = 'urn:accelbase:buildtype:bake:v1';
export const BUILDER_ID = 'urn:accelbase:builder';

const sha = (digest: string) => ({ sha256: digest.replace(/^sha256:/, '') });

export function provenancePredicate(f: ProvenanceFacts): Predicate {
  return {
    ...PREDICATE_TYPES.slsa,
    label: 'provenance',
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          target: f.target,
          repository: f.repository,
          platforms: [...f.platforms].sort(),
          ...(f.revision ? { revision: f.revision } : {}),
        },
        internalParameters: { catalog: 'catalog.yaml', lock: 'catalog.lock.yaml' },
        resolvedDependencies: [
          ...(f.revision ? [{ name: 'source', digest: { gitCommit: f.revision } }] : []),
          { name: 'catalog.yaml', digest: sha(f.catalog) },
          { name: 'catalog.lock.yaml', digest: sha(f.lock) },
          ...[...f.bases]
            .sort((a, b) => a.image.localeCompare(b.image))
            .map((b) => ({ name: `base:${b.image}`, uri: `oci://${b.repository}@${b.digest}`, digest: sha(b.digest) })),
          ...[...(f.rootfs ?? [])]
            .sort((a, b) => a.platform.localeCompare(b.platform))
            .map((r) => ({ name: `rootfs:${r.platform}`, digest: { sha256: r.sha256 } })),
        ],
      },
      runDetails: {
        builder: {
          id: BUILDER_ID,
          version: { accelbase: f.accelbase, ...(f.builder ? { 'buildx-builder': f.builder } : {}) },
        },
        metadata: {},
      },
    },
  };
}
