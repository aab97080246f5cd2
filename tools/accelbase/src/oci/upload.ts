// Pushing an OCI image layout (what BuildKit's `oci` exporter writes with tar=false) to a registry:
// blobs, then each manifest under its digest, then (for a tagged push) the tags. For buildx's docker
// driver, which refuses push-by-digest, and whose image exporter refuses rewrite-timestamp
// ("conflicts with unpack", docker 26.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { sha256Hex } from '../lib/fs.js';
import { isDigest } from './reference.js';
import { splitRepository } from './registry.js';

const INDEX_MEDIA_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];

interface Descriptor {
  mediaType: string;
  digest: string;
  size?: number;
  platform?: { os: string; architecture: string; variant?: string };
}

const blobFile = (layout: string, digest: string) => {
  if (!isDigest(digest)) throw new UserError(`${layout}: ${digest} is not a sha256 digest`);
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
};

function readBlob(layout: string, digest: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(blobFile(layout, digest));
  } catch (e) {
    throw new UserError(`${layout}: blob ${digest} is missing (${(e as Error).message})`);
  }
  if (`sha256:${sha256Hex(bytes)}` !== digest) throw new UserError(`${layout}: blob ${digest} does not match its digest`);
  return bytes;
}

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10 * 60_000) });
  } catch (e) {
    throw new UserError(`cannot reach ${url} (${what}): ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
}

/** One blob, unless the registry has it: mounted from `from` (a repository of the same registry) where it is there. */
async function uploadBlob(repository: string, layout: string, digest: string, from: readonly string[]): Promise<'present' | 'mounted' | 'uploaded'> {
  const { base, name } = splitRepository(repository);
  const head = await call(`${base}/v2/${name}/blobs/${digest}`, { method: 'HEAD' }, 'blob check');
  if (head.ok) return 'present';
  for (const source of from) {
    const src = splitRepository(source);
    if (src.base !== base || src.name === name) continue;
    const m = await call(`${base}/v2/${name}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(src.name)}`, { method: 'POST' }, 'blob mount');
    await m.arrayBuffer();
    if (m.status === 201) return 'mounted';
  }
  const start = await call(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' }, 'upload start');
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) throw new UserError(`${base}/v2/${name}/blobs/uploads/: HTTP ${start.status} starting an upload`);
  const url = new URL(location, base);
  url.searchParams.set('digest', digest);
  const put = await call(url.toString(), { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(readBlob(layout, digest)) }, 'blob upload');
  await put.arrayBuffer();
  if (put.status !== 201) throw new UserError(`${base}/v2/${name}/blobs: HTTP ${put.status} uploading ${digest}`);
  return 'uploaded';
}

async function putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer, digest: string): Promise<void> {
  const { base, name } = splitRepository(repository);
  const put = await call(`${base}/v2/${name}/manifests/${reference}`, { method: 'PUT', headers: { 'Content-Type': mediaType }, body: new Uint8Array(bytes) }, 'manifest upload');
  const text = await put.text();
  if (put.status !== 201) throw new UserError(`${base}/v2/${name}/manifests/${reference}: HTTP ${put.status} (${text.slice(0, 300)})`);
  const got = put.headers.get('docker-content-digest');
  if (got && got !== digest) throw new UserError(`${base}/v2/${name}: the registry stored ${digest} as ${got}`);
}

/** A manifest (or index) and everything it references, bottom up; each manifest under its digest. */
async function pushDescriptor(repository: string, layout: string, desc: Descriptor, from: readonly string[]): Promise<{ mediaType: string; bytes: Buffer }> {
  const bytes = readBlob(layout, desc.digest);
  const body = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  const mediaType = body.mediaType ?? desc.mediaType;
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    for (const child of body.manifests ?? []) await pushDescriptor(repository, layout, child, from);
  } else {
    for (const blob of [...(body.config ? [body.config] : []), ...(body.layers ?? [])]) await uploadBlob(repository, layout, blob.digest, from);
  }
  await putManifest(repository, desc.digest, mediaType, bytes, desc.digest);
  return { mediaType, bytes };
}

/**
 * Push the one image an OCI layout holds (its index.json's only entry) to `repository` by digest;
 * blobs the registry lacks are mounted from `from` where they are there (a base's repository), else
 * uploaded. Then, if any, under each of `tags` (only after everything is in). The digest pushed.
 */
export async function pushLayout(layout: string, repository: string, o: { from?: readonly string[]; tags?: readonly string[] } = {}): Promise<string> {
  let index: { manifests?: Descriptor[] };
  try {
    index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as typeof index;
  } catch (e) {
    throw new UserError(`${layout}: not an OCI image layout (${(e as Error).message})`);
  }
  // One entry per name the exporter was given, all of the same image.
  const entries = [...new Map((index.manifests ?? []).map((m) => [m.digest, m])).values()];
  if (entries.length !== 1) throw new UserError(`${layout}: expected one image in index.json, found ${entries.length}`);
  const top = await pushDescriptor(repository, layout, entries[0], o.from ?? []);
  for (const tag of o.tags ?? []) await putManifest(repository, tag, top.mediaType, top.bytes, entries[0].digest);
  return entries[0].digest;
}
