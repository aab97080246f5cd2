// docker buildx bake: the one bake definition type, the argument list for one target, running it,
// and reading back what buildx reported.
import { archesOf } from '../catalog/platform.js';
import { run, type RunResult } from '../exec.js';
import { isDigest } from '../oci/reference.js';
import type { PlannedImage } from '../plan/plan.js';
import type { DockerEngine } from './engine.js';

/** One target of a bake file (the subset accelbase writes). */
export interface BakeTarget {
  context: string;
  dockerfile: string;
  platforms: string[];
  tags: string[];
  args?: Record<string, string>;
  contexts?: Record<string, string>;
  labels: Record<string, string>;
  'cache-from'?: string[];
  'cache-to'?: string[];
  output?: string[];
  network?: string;
}

/** A bake file: docker-bake.json, the variants bake, the host-network override. */
export interface BakeDefinition {
  variable?: Record<string, { default: string; description?: string }>;
  group?: Record<string, { targets: string[] }>;
  target: Record<string, Partial<BakeTarget>>;
}

export interface BakeRunOptions {
  bakeFile: string;
  metadataFile: string;
  platforms: string[];
  tags: string[];
  output: 'push' | 'load' | 'cache' | 'layout';
  /** For a push: the folder the OCI layout is written to, before accelbase pushes it. */
  layoutDir?: string;
  /**
   * When the engine has no bridge network: a bake file setting `network: host` on every target
   * (the committed file stays portable). buildx 0.29 drops `--set *.network=host`: it prints the
   * override as an empty network, and RUN steps then fail with "network bridge not found".
   */
  hostNetworkFile?: string;
  /** SOURCE_DATE_EPOCH: derived from the inputs (rootfs epoch, lock date), never the wall clock. */
  sourceDateEpoch: number;
  /** org.opencontainers.image.created: the epoch as an ISO date. */
  created: string;
  /** Provenance attestation: `false` keeps the index digest stable (measured, see README). */
  provenance?: Provenance;
  noCache?: boolean;
  /** Base image reference -> the exact image just built for it, so bake need not rebuild the chain. */
  baseOverride?: { ref: string; image: string };
  /** A buildx builder other than the current one (`--builder`, ACCELBASE_BUILDER). */
  builder?: string;
  /** Cache import/export replacing the bake file's; undefined keeps the file's. */
  cache?: CacheSpecs;
  /**
   * http_proxy / no_proxy for RUN steps (the package cache): build args BuildKit predefines, so they
   * stay out of cache keys and image history unless a Dockerfile declares them.
   */
  proxyArgs?: Record<string, string>;
}

export type Provenance = 'false' | 'min' | 'max';

/**
 * The exporter. A push (tagged or by digest) goes through an OCI layout with rewrite-timestamp, so
 * every layer's file mtimes are clamped to SOURCE_DATE_EPOCH and the digests depend only on the
 * inputs; accelbase then pushes the layout (oci/upload.ts). dockerd's image exporter (docker 26-28)
 * forces `unpack`, which BuildKit refuses to combine with rewrite-timestamp, and buildx's docker
 * driver cannot push by digest; every driver writes an OCI layout.
 */
export function outputSpec(output: BakeRunOptions['output'], layoutDir?: string): string {
  if (output === 'push' || output === 'layout') {
    if (!layoutDir) throw new Error('outputSpec: a push needs the OCI layout folder');
    return `type=oci,dest=${layoutDir},tar=false,rewrite-timestamp=true`;
  }
  if (output === 'load') return 'type=docker';
  return 'type=cacheonly';
}

/** A buildx builder name, as buildx allows them. */
export const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export type CacheMode = 'registry' | 'local' | 'none';
export const CACHE_MODES: readonly CacheMode[] = ['registry', 'local', 'none'];

export interface CacheSpecs {
  from: string[];
  to: string[];
}

/** The cache tag of an image for a platform set: `cache-amd64`, `cache-arm64`, `cache-amd64-arm64`. */
export const cacheTag = (platforms: readonly string[]): string => `cache-${archesOf(platforms).join('-')}`;

/**
 * Where an image's build cache is read from and written to, per image and platform set. Registry:
 * `<repository>:cache-<arch>` under the build registry, mode=max; image-manifest and OCI media types
 * because Debian's docker-registry 2.8 refuses the default cache index (its config is not a manifest).
 * A multi-platform build reads every one-platform ref too, so a split build's cache serves it.
 * Local: a folder per image and platform set under `localDir`. None: the bake file's own settings.
 */
export function cacheSpecs(
  mode: CacheMode,
  o: { repository: string; image: string; platforms: readonly string[]; localDir: string },
): CacheSpecs | undefined {
  const tag = cacheTag(o.platforms);
  if (mode === 'registry') {
    const refs = [...new Set([...(o.platforms.length > 1 ? o.platforms.map((p) => cacheTag([p])) : []), tag])].map(
      (t) => `${o.repository}:${t}`,
    );
    return {
      from: refs.map((r) => `type=registry,ref=${r}`),
      to: [`type=registry,ref=${o.repository}:${tag},mode=max,image-manifest=true,oci-mediatypes=true`],
    };
  }
  if (mode === 'local') {
    const dir = `${o.localDir}/${o.image}-${tag}`;
    return { from: [`type=local,src=${dir}`], to: [`type=local,dest=${dir},mode=max`] };
  }
  return undefined;
}

export function bakeArgs(image: PlannedImage, o: BakeRunOptions): string[] {
  const t = image.name;
  const args = ['buildx', ...(o.builder ? ['--builder', o.builder] : []), 'bake', '--file', o.bakeFile];
  if (o.hostNetworkFile) args.push('--file', o.hostNetworkFile, '--allow', 'network.host');
  args.push('--progress', 'plain', '--metadata-file', o.metadataFile);
  args.push('--set', `*.platform=${o.platforms.join(',')}`);
  // Replacing the file's floating tags (only publish moves those); in a layout they only name entries.
  for (const tag of o.tags) args.push('--set', `${t}.tags=${tag}`);
  args.push('--set', `${t}.labels.org.opencontainers.image.created=${o.created}`);
  args.push('--set', `${t}.args.SOURCE_DATE_EPOCH=${o.sourceDateEpoch}`);
  for (const [name, value] of Object.entries(o.proxyArgs ?? {})) args.push('--set', `${t}.args.${name}=${value}`);
  args.push('--set', `${t}.output=${outputSpec(o.output, o.layoutDir)}`);
  for (const c of o.cache?.from ?? []) args.push('--set', `${t}.cache-from=${c}`);
  for (const c of o.cache?.to ?? []) args.push('--set', `${t}.cache-to=${c}`);
  const provenance = o.provenance ?? 'false';
  args.push(
    '--set',
    `${t}.attest=${provenance === 'false' ? 'type=provenance,disabled=true' : `type=provenance,mode=${provenance}`}`,
  );
  if (o.baseOverride) args.push('--set', `${t}.contexts.${o.baseOverride.ref}=docker-image://${o.baseOverride.image}`);
  if (o.noCache) args.push('--no-cache');
  args.push(t);
  return args;
}

/**
 * From buildx's plain progress: did every build step come from the cache? Steps are the vertices
 * named like `[linux/amd64 2/3] RUN ...`; internal ones (metadata, context) don't count. A step is
 * cached when BuildKit says CACHED, or when its result was pulled from an imported (registry or
 * local) cache: then it shows only the layer it fetched (`sha256:<digest> 30MB / 30MB 0.6s done`)
 * and no output of its own (a step that runs prints timestamped lines; an ADD or COPY that runs
 * prints neither).
 */
export function allStepsCached(progress: string): boolean {
  const steps = new Set<string>();
  const cached = new Set<string>();
  const pulled = new Set<string>();
  const ran = new Set<string>();
  for (const line of progress.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    if (/^\[[^\]]*\d+\/\d+\] /.test(rest)) steps.add(id);
    else if (rest === 'CACHED') cached.add(id);
    else if (/^sha256:[0-9a-f]{64} .* done$/.test(rest)) pulled.add(id);
    else if (/^\d+\.\d+ /.test(rest)) ran.add(id);
  }
  return steps.size > 0 && [...steps].every((id) => cached.has(id) || (pulled.has(id) && !ran.has(id)));
}

/** The image (index) digest buildx wrote for `target` to --metadata-file. */
export function metadataDigest(metadata: unknown, target: string): string | undefined {
  const entry = (metadata as Record<string, Record<string, unknown>> | null)?.[target];
  const digest = entry?.['containerimage.digest'];
  return isDigest(digest) ? digest : undefined;
}

/** The override bake file that puts every target on the host network. */
export function hostNetworkBake(targets: string[]): string {
  const definition: BakeDefinition = { target: Object.fromEntries(targets.map((t) => [t, { network: 'host' }])) };
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** Run bake with the engine's environment, progress streamed to stderr and kept for parsing. */
export const runBake = (
  engine: DockerEngine,
  args: string[],
  o: { cwd: string; env?: Record<string, string> },
): Promise<RunResult> => run(engine.docker, args, { cwd: o.cwd, env: { ...engine.env, ...o.env }, tee: true });
