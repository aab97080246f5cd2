// Pushing an OCI image layout (what BuildKit's `oci` exporter writes with tar=false) to a registry:
// blobs, then each manifest under its digest, then (for a tagged push) the tags. Every build pushes
// this way: dockerd's image exporter (docker 26-28) refuses rewrite-timestamp ("conflicts with
// unpack"), and buildx's docker driver cannot push by digest.
import { layoutBlob, layoutRoot, readBlob } from './layout.js';
import { type Descriptor, INDEX_MEDIA_TYPES } from './media-types.js';
import { putManifest, uploadBlob } from './registry.js';

/** A manifest (or index) and everything it references, bottom up; each manifest under its digest. */
async function pushDescriptor(
  repository: string,
  layout: string,
  desc: Descriptor,
  from: readonly string[],
): Promise<{ mediaType: string; bytes: Buffer }> {
  const bytes = readBlob(layout, desc.digest);
  const body = JSON.parse(bytes.toString('utf8')) as {
    mediaType?: string;
    manifests?: Descriptor[];
    config?: Descriptor;
    layers?: Descriptor[];
  };
  const mediaType = body.mediaType ?? desc.mediaType;
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    for (const child of body.manifests ?? []) await pushDescriptor(repository, layout, child, from);
  } else {
    for (const blob of [...(body.config ? [body.config] : []), ...(body.layers ?? [])])
      await uploadBlob(repository, await layoutBlob(layout, blob.digest), from);
  }
  await putManifest(repository, desc.digest, mediaType, bytes);
  return { mediaType, bytes };
}

/**
 * Push the one image an OCI layout holds to `repository` by digest; blobs the registry lacks are
 * mounted from `from` where they are there (a base's repository), else uploaded. Then, if any, under
 * each of `tags` (only after everything is in). The digest pushed.
 */
export async function pushLayout(
  layout: string,
  repository: string,
  o: { from?: readonly string[]; tags?: readonly string[] } = {},
): Promise<string> {
  const root = layoutRoot(layout);
  const top = await pushDescriptor(repository, layout, root, o.from ?? []);
  for (const tag of o.tags ?? []) await putManifest(repository, tag, top.mediaType, top.bytes);
  return root.digest;
}
