// A minimal OCI distribution client for the registries we push to (tags, manifests, indexes).
import { UserError } from '../errors.js';
import { sha256Hex } from '../lib/fs.js';
import { parseReference } from './reference.js';

export const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface ImageIndex {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os: string; architecture: string; variant?: string } }[];
}

/** `127.0.0.1:5000/acceleratorbase/opencl-pocl` -> base URL and repository path. */
export function splitRepository(repository: string): { base: string; name: string } {
  const r = parseReference(repository);
  if (!r || r.tag || r.digest) throw new UserError(`${repository}: not a repository name (HOST[:PORT]/PATH, no tag or digest)`);
  if (!r.domain) throw new UserError(`${repository}: no registry host in the name (use --registry HOST[:PORT]/NAMESPACE)`);
  // Loopback registries speak plain HTTP, like docker's default insecure range.
  const scheme = /^(127\.|localhost(:|$)|\[::1\])/.test(r.domain) ? 'http' : 'https';
  return { base: `${scheme}://${r.domain}`, name: r.path };
}

/** One registry request; an unreachable registry is a UserError naming the URL. */
export async function send(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  } catch (e) {
    throw new UserError(`cannot reach ${url}: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
}

const get = (url: string, accept?: string[]): Promise<Response> => send(url, { headers: accept ? { Accept: accept.join(', ') } : {} });

export async function listTags(repository: string): Promise<string[]> {
  const { base, name } = splitRepository(repository);
  const res = await get(`${base}/v2/${name}/tags/list`);
  if (res.status === 404) return [];
  if (!res.ok) throw new UserError(`${base}/v2/${name}/tags/list: HTTP ${res.status}`);
  return (((await res.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

export async function getManifest(repository: string, reference: string): Promise<{ digest?: string; body: ImageIndex }> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/manifests/${reference}`;
  const res = await get(url, INDEX_TYPES);
  if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`);
  return { digest: res.headers.get('docker-content-digest') ?? undefined, body: (await res.json()) as ImageIndex };
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

/** One platform's image manifest inside the index at `reference` (a tag or digest). */
export async function platformManifest(repository: string, reference: string, platform: string): Promise<ImageManifest> {
  const { body } = await getManifest(repository, reference);
  const entry = (body.manifests ?? []).find((m) => m.platform && `${m.platform.os}/${m.platform.architecture}` === platform);
  // A single-platform push has no index: the manifest itself has the layers.
  if (!entry) {
    if ((body as ImageManifest).layers) return body as ImageManifest;
    throw new UserError(`${repository}@${reference} has no ${platform} image (it has ${indexPlatforms(body).join(', ') || 'none'})`);
  }
  return (await getManifest(repository, entry.digest)).body as ImageManifest;
}

/** A blob's bytes (a layer or a config), checked against its digest. */
export async function getBlob(repository: string, digest: string): Promise<Buffer> {
  const { base, name } = splitRepository(repository);
  const url = `${base}/v2/${name}/blobs/${digest}`;
  const res = await get(url);
  if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (`sha256:${sha256Hex(bytes)}` !== digest) throw new UserError(`${url}: the blob does not match its digest`);
  return bytes;
}
