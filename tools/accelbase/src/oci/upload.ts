// Pushing an OCI image layout (what BuildKit's `oci` exporter writes with tar=false) to a registry:
// blobs, then each manifest under its digest, then (for a tagged push) the tags. Every build pushes
// this way: dockerd's image exporter (docker 26-28) refuses rewrite-timestamp ("conflicts with
// unpack"), and buildx's docker driver cannot push by digest.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { sha256File } from '../lib/fs.js';
import { debug } from '../log.js';
import { isDigest } from './reference.js';
import { send, splitRepository } from './registry.js';

const INDEX_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const LONG = 30 * 60_000;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size?: number;
  platform?: { os: string; architecture: string; variant?: string };
}

/** A blob's file in the layout, for a digest of the one form accelbase accepts. */
export function blobPath(layout: string, digest: string): string {
  if (!isDigest(digest)) throw new UserError(`${layout}: ${digest} is not a sha256 digest`);
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** A blob's bytes (manifests, configs), checked against its digest. */
function readBlob(layout: string, digest: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(blobPath(layout, digest));
  } catch (e) {
    throw new UserError(`${layout}: blob ${digest} is missing (${(e as Error).message})`);
  }
  return bytes;
}

/** The one image a layout holds: index.json lists it once per name the exporter was given. */
export function layoutRoot(layout: string): Descriptor {
  let index: { manifests?: Descriptor[] };
  try {
    index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as typeof index;
  } catch (e) {
    throw new UserError(`${layout}: not an OCI image layout (${(e as Error).message})`);
  }
  const entries = [...new Map((index.manifests ?? []).map((m) => [m.digest, m])).values()];
  if (entries.length !== 1) throw new UserError(`${layout}: expected one image in index.json, found ${entries.length}`);
  return { mediaType: entries[0].mediaType, digest: entries[0].digest, size: entries[0].size };
}

/** One blob, unless the registry has it: mounted from `from` (a repository of the same registry) where it is there; else streamed from disk. */
async function uploadBlob(
  repository: string,
  layout: string,
  digest: string,
  from: readonly string[],
): Promise<'present' | 'mounted' | 'uploaded'> {
  const { base, name } = splitRepository(repository);
  const file = blobPath(layout, digest);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new UserError(`${layout}: blob ${digest} is missing (${(e as Error).message})`);
  }
  // Checked before anything is sent: a corrupt layout pushes nothing.
  if (`sha256:${await sha256File(file)}` !== digest)
    throw new UserError(`${layout}: blob ${digest} does not match its digest`);
  const head = await send(`${base}/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return 'present';
  for (const source of from) {
    const src = splitRepository(source);
    if (src.base !== base || src.name === name) continue;
    const m = await send(
      `${base}/v2/${name}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(src.name)}`,
      { method: 'POST' },
    );
    await m.arrayBuffer();
    if (m.status === 201) return 'mounted';
  }
  const start = await send(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 202 || !location)
    throw new UserError(`${base}/v2/${name}/blobs/uploads/: HTTP ${start.status} starting an upload`);
  const url = new URL(location, base);
  url.searchParams.set('digest', digest);
  debug(`upload ${digest} (${size} bytes) to ${name}`);
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
  const init = {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
    body,
    duplex: 'half',
    timeoutMs: LONG,
  };
  const put = await send(url.toString(), init as RequestInit & { timeoutMs: number });
  await put.arrayBuffer();
  if (put.status !== 201) throw new UserError(`${base}/v2/${name}/blobs: HTTP ${put.status} uploading ${digest}`);
  return 'uploaded';
}

async function putManifest(
  repository: string,
  reference: string,
  mediaType: string,
  bytes: Buffer,
  digest: string,
): Promise<void> {
  const { base, name } = splitRepository(repository);
  const put = await send(`${base}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'Content-Type': mediaType },
    body: new Uint8Array(bytes),
  });
  const text = await put.text();
  if (put.status !== 201)
    throw new UserError(`${base}/v2/${name}/manifests/${reference}: HTTP ${put.status} (${text.slice(0, 300)})`);
  const got = put.headers.get('docker-content-digest');
  if (got && got !== digest) throw new UserError(`${base}/v2/${name}: the registry stored ${digest} as ${got}`);
}

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
      await uploadBlob(repository, layout, blob.digest, from);
  }
  await putManifest(repository, desc.digest, mediaType, bytes, desc.digest);
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
  for (const tag of o.tags ?? []) await putManifest(repository, tag, top.mediaType, top.bytes, root.digest);
  return root.digest;
}
