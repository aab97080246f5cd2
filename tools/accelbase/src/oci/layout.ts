// Reading an OCI image layout (what BuildKit's `oci` exporter writes with tar=false): its index.json,
// its blobs by digest, checked before they are used or sent.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { sha256File } from '../lib/fs.js';
import type { Descriptor } from './media-types.js';
import { isDigest } from './reference.js';
import type { BlobSource } from './registry.js';

/** A blob's file in the layout, for a digest of the one form accelbase accepts. */
export function blobPath(layout: string, digest: string): string {
  if (!isDigest(digest)) throw new UserError(`${layout}: ${digest} is not a sha256 digest`);
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** A blob's bytes (manifests, configs). */
export function readBlob(layout: string, digest: string): Buffer {
  try {
    return readFileSync(blobPath(layout, digest));
  } catch (e) {
    throw new UserError(`${layout}: blob ${digest} is missing (${(e as Error).message})`);
  }
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

/** A blob to push, streamed from disk; checked against its digest first, so a corrupt layout pushes nothing. */
export async function layoutBlob(layout: string, digest: string): Promise<BlobSource> {
  const file = blobPath(layout, digest);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new UserError(`${layout}: blob ${digest} is missing (${(e as Error).message})`);
  }
  if (`sha256:${await sha256File(file)}` !== digest)
    throw new UserError(`${layout}: blob ${digest} does not match its digest`);
  return { digest, size, body: () => Readable.toWeb(createReadStream(file)) as ReadableStream };
}
