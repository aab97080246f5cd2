// The OCI and Docker media types accelbase reads and writes, and the descriptor that points at a
// blob of one of them: the one definition of each.

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** The OCI 1.1 empty descriptor's type (`{}`: an artifact's config). */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** Media types of an index (a list of manifests), OCI's and Docker's. */
export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST];

/** What a manifest request accepts: an index or a single manifest, OCI's or Docker's. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [...INDEX_MEDIA_TYPES, OCI_MANIFEST, DOCKER_MANIFEST];

/** An OCI descriptor: what a manifest, an index entry, a layer or a `subject` points at. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
}
