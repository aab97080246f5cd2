// An unchanged image is not built again. Builds are reproducible (same inputs, same digest: the
// reproducible engine test), so when an image's inputs hash to what its last push recorded and the
// registry still serves that digest under each of its build tags,
// a bake would only re-export, re-compress (rewrite-timestamp) and re-push the very same index:
// `build` reports it cached and moves on.
// The inputs: the bake arguments that shape the image (platforms, tags, labels, epoch, base digest,
// output, cache, provenance), the bake target, REGISTRY and REVISION, and every file of the build
// context and the Dockerfile. Proxy, network and builder are left out: they do not change the image.
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { readJsonFile, sameStat, sha256File, sha256Hex, statStamp, writeAtomic } from '../lib/fs.js';
import { Digest, splitTag } from '../oci/reference.js';
import { MANIFEST_MEDIA_TYPES } from '../oci/media-types.js';
import { send, splitRepository } from '../oci/registry.js';
import { BuildResult } from './state.js';

/** A file's hash with the stat it was taken at: a file whose size, mtime and inode match is not read again. */
const FileStamp = z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number(), sha256: z.string() });
type FileStamp = z.infer<typeof FileStamp>;

const InputRecord = z.object({
  key: z.string(),
  files: z.record(z.string(), FileStamp),
  result: BuildResult.extend({ digest: Digest }),
});
type InputRecord = z.infer<typeof InputRecord>;

export const InputsFile = z.object({ version: z.literal(1), images: z.record(z.string(), InputRecord) });

export const inputsFile = (root: string): string => join(root, '.accelbase', 'build', 'inputs.json');

/** The bake target's context directory and Dockerfile, as docker-bake.json names them (relative to root). */
export interface BakeTarget {
  context: string;
  dockerfile: string;
}

/** Every file under the context directory, and the Dockerfile (which may live outside it), sorted. */
export function contextFiles(root: string, target: BakeTarget): string[] {
  const context = resolve(root, target.context);
  const files = new Set<string>([resolve(context, target.dockerfile)]);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.add(p);
    }
  };
  walk(context);
  return [...files].map((f) => relative(root, f)).sort();
}

/** sha256 of each file, reusing a known hash where the stat matches (a multi-MB rootfs tarball is read once). */
export async function fileStamps(
  root: string,
  files: string[],
  known: Record<string, FileStamp> = {},
): Promise<Record<string, FileStamp>> {
  const out: Record<string, FileStamp> = {};
  for (const f of files) {
    const stamp = statStamp(join(root, f));
    const k = Object.hasOwn(known, f) ? known[f] : undefined;
    out[f] = { ...stamp, sha256: k && sameStat(k, stamp) ? k.sha256 : await sha256File(join(root, f)) };
  }
  return out;
}

/** One hash over everything that shapes the image. */
export function inputKey(
  material: { args: readonly string[]; target: unknown; env: Record<string, string> },
  files: Record<string, FileStamp>,
): string {
  const hashes = Object.entries(files).map(([f, s]) => [f, s.sha256]);
  return `sha256:${sha256Hex(JSON.stringify({ v: 1, args: material.args, target: material.target, env: material.env, files: hashes }))}`;
}

/** An image's inputs as they are now, and what its last push recorded; undefined where the context cannot be read. */
export interface Inputs {
  key: string;
  files: Record<string, FileStamp>;
  previous?: InputRecord;
}

export async function currentInputs(
  root: string,
  target: BakeTarget,
  material: { args: readonly string[]; env: Record<string, string> },
  previous?: InputRecord,
): Promise<Inputs | undefined> {
  let files: Record<string, FileStamp>;
  try {
    files = await fileStamps(root, contextFiles(root, target), previous?.files);
  } catch {
    return undefined; // no context to hash (yet): the bake will say what is missing
  }
  return { key: inputKey({ ...material, target }, files), files, previous };
}

/** The last push's result, where the inputs are the same and the registry still serves it under `tags`. */
export async function reusablePush(
  repository: string,
  tags: readonly string[],
  inputs: Inputs,
): Promise<InputRecord['result'] | undefined> {
  const p = inputs.previous;
  return p &&
    p.key === inputs.key &&
    p.result.repository === repository &&
    (await stillServed(repository, p.result.digest, tags))
    ? p.result
    : undefined;
}

export type InputRecords = z.infer<typeof InputsFile>;

/** The records, read once per build; a corrupt file only costs a rebuild: it is this tool's cache, not the user's input. */
export function readInputRecords(root: string): InputRecords {
  try {
    return readJsonFile(inputsFile(root), InputsFile) ?? { version: 1, images: {} };
  } catch {
    return { version: 1, images: {} };
  }
}

export const recordOf = (records: InputRecords, image: string): InputRecord | undefined =>
  Object.hasOwn(records.images, image) ? records.images[image] : undefined;

/** Records a push in `records` and writes them all. */
export function writeInputRecord(
  root: string,
  records: InputRecords,
  image: string,
  inputs: Inputs,
  result: BuildResult,
): void {
  records.images[image] = {
    key: inputs.key,
    files: inputs.files,
    result: { ...result, digest: Digest.parse(result.digest) },
  };
  writeAtomic(inputsFile(root), `${JSON.stringify(records, null, 2)}\n`);
}

/** Whether the registry serves `digest` in `repository`, and every tag (`repo:tag`) names exactly it. */
export async function stillServed(repository: string, digest: string, tags: readonly string[]): Promise<boolean> {
  const { base, name } = splitRepository(repository);
  const head = async (reference: string) => {
    const res = await send(`${base}/v2/${name}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') },
      timeoutMs: 5000,
    });
    return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
  };
  const refs = tags.map((t) => splitTag(t));
  if (refs.some((r) => r.repository !== repository || !r.tag)) return false;
  try {
    // All at once: each is a round trip to the registry.
    const answers = await Promise.all([digest, ...refs.map((r) => r.tag!)].map(head));
    return answers.every((d) => d === digest);
  } catch {
    return false; // an unreachable registry: build, and let the push say why
  }
}
