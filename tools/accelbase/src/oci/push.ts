// Pushing an OCI image layout (what BuildKit's oci exporter writes) to a registry: blobs first (a
// cross-repository mount where the base already has them), then manifests children first, then the
// tags. BuildKit's own push goes through dockerd's image exporter, which cannot rewrite timestamps.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { debug } from '../log.js';
import { isDigest } from './reference.js';
import { send, splitRepository } from './registry.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);

/** A blob's path in the layout, for a digest of the one form accelbase accepts. */
export function blobPath(layout: string, digest: string): string {
  if (!isDigest(digest)) throw new UserError(`${layout}: ${digest} is not a sha256 digest`);
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** The layout's one image: an index (several platforms) or a manifest (one), listed once per tag. */
export function layoutRoot(layout: string): Descriptor {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
  const digests = new Set((index.manifests ?? []).map((m) => m.digest));
  const root = index.manifests?.[0];
  if (!root || digests.size !== 1 || !MANIFEST_TYPES.has(root.mediaType)) throw new UserError(`${layout}/index.json: expected one image index or manifest, found ${digests.size}`);
  return { mediaType: root.mediaType, digest: root.digest, size: root.size };
}

/** The manifests and blobs under `root`, children before parents (the order a registry accepts them). */
export function layoutContents(layout: string, root: Descriptor): { manifests: Descriptor[]; blobs: Descriptor[] } {
  const manifests: Descriptor[] = [];
  const blobs = new Map<string, Descriptor>();
  const walk = (d: Descriptor) => {
    const body = JSON.parse(readFileSync(blobPath(layout, d.digest), 'utf8')) as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    for (const child of body.manifests ?? []) walk(child);
    for (const blob of [...(body.config ? [body.config] : []), ...(body.layers ?? [])]) blobs.set(blob.digest, blob);
    if (!manifests.some((m) => m.digest === d.digest)) manifests.push(d);
  };
  walk(root);
  return { manifests, blobs: [...blobs.values()] };
}

async function pushBlob(base: string, name: string, layout: string, blob: Descriptor, mountFrom: string[]): Promise<void> {
  if ((await send(`${base}/v2/${name}/blobs/${blob.digest}`, { method: 'HEAD' })).ok) return;
  for (const from of mountFrom) {
    const res = await send(`${base}/v2/${name}/blobs/uploads/?mount=${blob.digest}&from=${encodeURIComponent(from)}`, { method: 'POST' });
    if (res.status === 201) return;
    await res.body?.cancel();
  }
  const start = await send(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  const location = start.headers.get('location');
  await start.body?.cancel();
  if (start.status !== 202 || !location) throw new UserError(`${base}/v2/${name}/blobs/uploads/: HTTP ${start.status} (cannot start an upload)`);
  const url = new URL(location, base);
  url.searchParams.set('digest', blob.digest);
  const file = blobPath(layout, blob.digest);
  const size = statSync(file).size;
  debug(`upload ${blob.digest} (${size} bytes) to ${name}`);
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
  const put = await send(url.toString(), { method: 'PUT', body, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, duplex: 'half', timeoutMs: 30 * 60_000 } as RequestInit);
  await put.body?.cancel();
  if (put.status !== 201) throw new UserError(`uploading ${blob.digest} to ${base}/v2/${name}: HTTP ${put.status}`);
}

async function putManifest(base: string, name: string, reference: string, layout: string, d: Descriptor): Promise<void> {
  const res = await send(`${base}/v2/${name}/manifests/${reference}`, { method: 'PUT', body: readFileSync(blobPath(layout, d.digest)), headers: { 'Content-Type': d.mediaType } });
  const text = await res.text();
  if (res.status !== 201) throw new UserError(`${base}/v2/${name}/manifests/${reference}: HTTP ${res.status} ${text.slice(0, 300)}`);
}

/**
 * Push the layout's image to `repository`, tagged with `tags` (none: by digest only), and return its
 * digest. `mountFrom`: repositories on the same registry that may already hold its blobs (the base).
 */
export async function pushLayout(layout: string, repository: string, tags: readonly string[], mountFrom: readonly string[] = []): Promise<string> {
  const { base, name } = splitRepository(repository);
  const root = layoutRoot(layout);
  const { manifests, blobs } = layoutContents(layout, root);
  const sameRegistry = mountFrom.map((r) => splitRepository(r)).filter((r) => r.base === base && r.name !== name).map((r) => r.name);
  for (const blob of blobs) await pushBlob(base, name, layout, blob, sameRegistry);
  for (const m of manifests) await putManifest(base, name, m.digest, layout, m);
  for (const tag of tags) await putManifest(base, name, tag, layout, root);
  return root.digest;
}
