// A minimal OCI distribution client for the registries we push to (tags, manifests, indexes, blobs).
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { debug } from '../log.js';
import { sha256Hex } from '../lib/fs.js';
import { type Descriptor, MANIFEST_MEDIA_TYPES, OCI_INDEX, OCI_MANIFEST } from './media-types.js';
import { parseReference, referrersTag } from './reference.js';

export interface ImageIndex {
  schemaVersion?: number;
  mediaType?: string;
  manifests?: {
    digest: string;
    mediaType?: string;
    size?: number;
    artifactType?: string;
    annotations?: Record<string, string>;
    platform?: { os: string; architecture: string; variant?: string };
  }[];
}

/** `127.0.0.1:5000/acceleratorbase/opencl-pocl` -> base URL and repository path. */
export function splitRepository(repository: string): { base: string; name: string } {
  const r = parseReference(repository);
  if (!r || r.tag || r.digest)
    throw new UserError(`${repository}: not a repository name (HOST[:PORT]/PATH, no tag or digest)`);
  if (!r.domain)
    throw new UserError(`${repository}: no registry host in the name (use --registry HOST[:PORT]/NAMESPACE)`);
  // Loopback registries speak plain HTTP, like docker's default insecure range.
  const scheme = /^(127\.|localhost(:|$)|\[::1\])/.test(r.domain) ? 'http' : 'https';
  return { base: `${scheme}://${r.domain}`, name: r.path };
}

/** One registry request; an unreachable registry is a UserError naming the URL. */
export async function send(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  } catch (e) {
    throw new UserError(
      `cannot reach ${url}: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`,
    );
  }
}

const get = (url: string, accept?: readonly string[]): Promise<Response> =>
  send(url, { headers: accept ? { Accept: accept.join(', ') } : {} });

export async function listTags(repository: string): Promise<string[]> {
  const { base, name } = splitRepository(repository);
  const res = await get(`${base}/v2/${name}/tags/list`);
  if (res.status === 404) return [];
  if (!res.ok) throw new UserError(`${base}/v2/${name}/tags/list: HTTP ${res.status}`);
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

export async function getManifest(
  repository: string,
  reference: string,
): Promise<{ digest?: string; body: ImageIndex }> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${reference}`;
  const res = await get(url, MANIFEST_MEDIA_TYPES);
  if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`);
  return { digest: res.headers.get('docker-content-digest') ?? undefined, body: (await res.json()) as ImageIndex };
}

/**
 * The descriptor of each platform's manifest under `reference`: the index's entries (attestations
 * left out), or, for a single-platform push, the manifest itself under `single`.
 */
export async function platformDescriptors(
  repository: string,
  reference: string,
  single: string,
): Promise<Record<string, Descriptor>> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${reference}`;
  const res = await get(url, MANIFEST_MEDIA_TYPES);
  if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = JSON.parse(bytes.toString('utf8')) as ImageIndex & ImageManifest;
  const mediaType = body.mediaType ?? res.headers.get('content-type') ?? OCI_MANIFEST;
  if (body.layers) return { [single]: { mediaType, digest: `sha256:${sha256Hex(bytes)}`, size: bytes.length } };
  const out: Record<string, Descriptor> = {};
  for (const m of body.manifests ?? []) {
    if (!m.platform || m.platform.os === 'unknown' || m.mediaType === undefined || m.size === undefined) continue;
    out[`${m.platform.os}/${m.platform.architecture}`] = { mediaType: m.mediaType, digest: m.digest, size: m.size };
  }
  return out;
}

/** The platforms an index serves; buildx's attestation manifests (unknown/unknown) are not platforms. */
export function indexPlatforms(index: ImageIndex): string[] {
  return (index.manifests ?? [])
    .map((m) => m.platform)
    .filter((p): p is NonNullable<typeof p> => !!p && p.os !== 'unknown' && p.architecture !== 'unknown')
    .map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`)
    .sort();
}

export interface ImageManifest {
  mediaType?: string;
  config?: { digest: string; size?: number };
  layers?: { digest: string; size?: number; mediaType?: string }[];
}

/** An image's compressed size: the sum of its manifest's layer sizes (what a pull downloads, config aside). */
export const compressedSize = (m: ImageManifest): number => (m.layers ?? []).reduce((n, l) => n + (l.size ?? 0), 0);

/** An index's entry for one platform (`os/architecture`), if it has one. */
export const platformEntry = (index: ImageIndex, platform: string) =>
  (index.manifests ?? []).find((m) => m.platform && `${m.platform.os}/${m.platform.architecture}` === platform);

/** One platform's image manifest inside the index at `reference` (a tag or digest). */
export async function platformManifest(
  repository: string,
  reference: string,
  platform: string,
): Promise<ImageManifest> {
  const { body } = await getManifest(repository, reference);
  const entry = platformEntry(body, platform);
  // A single-platform push has no index: the manifest itself has the layers.
  if (!entry) {
    if ((body as ImageManifest).layers) return body as ImageManifest;
    throw new UserError(
      `${repository}@${reference} has no ${platform} image (it has ${indexPlatforms(body).join(', ') || 'none'})`,
    );
  }
  return (await getManifest(repository, entry.digest)).body as ImageManifest;
}

/** A streamed layer of gigabytes (nvidia-cuda-toolkit's) must not hit the 15 s request timeout. */
const BLOB_STREAM_TIMEOUT_MS = 60 * 60_000;

/** A blob's bytes (a layer or a config), checked against its digest. */
export async function getBlob(repository: string, digest: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of blobStream(repository, digest, 15_000)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * A blob's bytes as a stream, for layers too large to hold in memory; the digest is checked as the
 * last chunk goes by, so a consumer that reads to the end gets the UserError instead of its end.
 */
export async function* blobStream(
  repository: string,
  digest: string,
  timeoutMs = BLOB_STREAM_TIMEOUT_MS,
): AsyncGenerator<Uint8Array> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/blobs/${digest}`;
  const res = await send(url, { timeoutMs });
  if (!res.ok || !res.body) throw new UserError(`${url}: HTTP ${res.status}`);
  const hash = createHash('sha256');
  for await (const chunk of res.body) {
    hash.update(chunk);
    yield chunk;
  }
  if (`sha256:${hash.digest('hex')}` !== digest) throw new UserError(`${url}: the blob does not match its digest`);
}

/** What a registry answered when it refused a write: status and its first error code. */
async function refusal(url: string, res: Response): Promise<UserError> {
  const body = await res.text().catch(() => '');
  const code = /"code"\s*:\s*"([A-Z_]+)"/.exec(body)?.[1];
  return new UserError(`${url}: HTTP ${res.status}${code ? ` ${code}` : ''}`);
}

/** A streamed layer of gigabytes must not hit the 15 s request timeout. */
const UPLOAD_TIMEOUT_MS = 30 * 60_000;

/** A blob to push: its digest and size, and its bytes, read only when they must be sent. */
export interface BlobSource {
  digest: string;
  size: number;
  body: () => Uint8Array | ReadableStream;
}

/**
 * Push one blob unless the registry has it: mounted from one of `from` (repositories of the same
 * registry) where it is there, else an upload session (POST) and the bytes with their digest (PUT).
 */
export async function uploadBlob(
  repository: string,
  blob: BlobSource,
  from: readonly string[] = [],
): Promise<'present' | 'mounted' | 'uploaded'> {
  const { base, name } = splitRepository(repository);
  const head = await send(`${base}/v2/${name}/blobs/${blob.digest}`, { method: 'HEAD' });
  if (head.ok) return 'present';
  for (const source of from) {
    const src = splitRepository(source);
    if (src.base !== base || src.name === name) continue;
    const m = await send(
      `${base}/v2/${name}/blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(src.name)}`,
      { method: 'POST' },
    );
    await m.arrayBuffer();
    if (m.status === 201) return 'mounted';
  }
  const start = `${base}/v2/${name}/blobs/uploads/`;
  const session = await send(start, { method: 'POST' });
  const location = session.headers.get('location');
  if (session.status !== 202 || !location) throw await refusal(start, session);
  await session.arrayBuffer();
  const upload = new URL(location, base);
  upload.searchParams.set('digest', blob.digest);
  debug(`upload ${blob.digest} (${blob.size} bytes) to ${name}`);
  const body = blob.body();
  const init = {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
    body: body instanceof Uint8Array ? Buffer.from(body) : body,
    // A streamed body is sent while the answer may already come (fetch requires saying so).
    ...(body instanceof Uint8Array ? {} : { duplex: 'half' }),
    timeoutMs: UPLOAD_TIMEOUT_MS,
  };
  const res = await send(upload.href, init as RequestInit & { timeoutMs: number });
  if (res.status !== 201) throw await refusal(`${start} (${blob.digest})`, res);
  await res.arrayBuffer();
  return 'uploaded';
}

/** Push a blob held in memory (skipped when the registry has it); its digest and size. */
export async function pushBlob(repository: string, bytes: Uint8Array): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${sha256Hex(bytes)}`;
  await uploadBlob(repository, { digest, size: bytes.length, body: () => bytes });
  return { digest, size: bytes.length };
}

/**
 * PUT a manifest or index under a tag or its digest; its descriptor (digest of the exact bytes
 * sent), which the registry must have stored it under.
 */
export async function putManifest(
  repository: string,
  reference: string,
  mediaType: string,
  bytes: Uint8Array,
): Promise<Descriptor> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${reference}`;
  const res = await send(url, { method: 'PUT', headers: { 'Content-Type': mediaType }, body: Buffer.from(bytes) });
  if (res.status !== 201) throw await refusal(url, res);
  await res.arrayBuffer();
  const digest = `sha256:${sha256Hex(bytes)}`;
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== digest) throw new UserError(`${url}: the registry stored ${digest} as ${stored}`);
  return { mediaType, digest, size: bytes.length };
}

/**
 * The referrers of a subject: the registry's referrers API (OCI 1.1) where it has one, else the
 * referrers tag schema (`sha256-<hex>`, an index a client maintains). Empty when neither has any.
 */
export async function listReferrers(
  repository: string,
  digest: string,
): Promise<{ via: 'api' | 'tag'; index: ImageIndex }> {
  const { base, name } = splitRepository(repository);
  const api = await get(`${base}/v2/${name}/referrers/${digest}`, [OCI_INDEX]);
  if (api.ok && api.headers.get('content-type')?.startsWith(OCI_INDEX))
    return { via: 'api', index: (await api.json()) as ImageIndex };
  if (api.status !== 404 && !api.ok) throw await refusal(`${base}/v2/${name}/referrers/${digest}`, api);
  const tag = await get(`${base}/v2/${name}/manifests/${referrersTag(digest)}`, [OCI_INDEX]);
  if (tag.status === 404)
    return {
      via: 'tag',
      index: { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] },
    };
  if (!tag.ok) throw await refusal(`${base}/v2/${name}/manifests/${referrersTag(digest)}`, tag);
  return { via: 'tag', index: (await tag.json()) as ImageIndex };
}

/** DELETE a manifest by digest (the registry drops every tag naming it too); one already gone is fine. */
export async function deleteManifest(repository: string, digest: string): Promise<'deleted' | 'absent'> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${digest}`;
  const res = await send(url, { method: 'DELETE' });
  if (res.status !== 202 && res.status !== 200 && res.status !== 404) throw await refusal(url, res);
  await res.body?.cancel();
  return res.status === 404 ? 'absent' : 'deleted';
}

/** A digest no manifest has: what the deletion probe asks a registry to DELETE. */
const PROBE_DIGEST = `sha256:${sha256Hex('accelbase: does this registry allow DELETE?')}`;

/**
 * Whether the registry deletes manifests: DELETE of a digest it does not have answers 404 where
 * deletion is enabled, 405 UNSUPPORTED where it is not. Anything else is an error.
 */
export async function deletionAllowed(repository: string): Promise<boolean> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${PROBE_DIGEST}`;
  const res = await send(url, { method: 'DELETE' });
  if (res.status !== 405 && res.status !== 404 && res.status !== 202) throw await refusal(url, res);
  await res.body?.cancel();
  return res.status !== 405;
}

/**
 * The digest a tag (or digest) names in the registry, undefined where it has none (404). An
 * unreachable registry, or any other answer, is an error: "not there" and "could not look" differ.
 */
export async function manifestDigest(repository: string, reference: string): Promise<string | undefined> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${reference}`;
  const res = await send(url, { method: 'HEAD', headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw await refusal(url, res);
  const digest = res.headers.get('docker-content-digest');
  if (digest) return digest;
  if (reference.startsWith('sha256:')) return reference;
  // A registry that does not say: the digest of the manifest's bytes is its digest.
  const body = await get(url, MANIFEST_MEDIA_TYPES);
  if (!body.ok) throw await refusal(url, body);
  return `sha256:${sha256Hex(Buffer.from(await body.arrayBuffer()))}`;
}

/** Does the registry have this manifest (HEAD)? */
export async function hasManifest(repository: string, digest: string): Promise<boolean> {
  return (await manifestDigest(repository, digest)) !== undefined;
}
