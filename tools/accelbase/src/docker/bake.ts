// docker buildx bake, in buildx's own vocabulary (files, targets, `--set` overrides, entitlements):
// the one bake definition type, the argument list of an invocation, running it, and reading back
// what buildx reported. Nothing here knows the catalog: callers name targets and settings.
import { archesOf } from '../catalog/platform.js';
import type { CacheMode, Provenance } from '../config/buildx.js';
import { BakeProgress } from './progress.js';
import { run, type RunResult } from '../exec.js';
import { isDigest } from '../oci/reference.js';
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

/** What a bake keeps of a target: an OCI layout (to push, or to compare), the engine's image store, or nothing. */
export type ExportKind = 'push' | 'load' | 'cache' | 'layout';

/**
 * The exporter. A push (tagged or by digest) goes through an OCI layout with rewrite-timestamp, so
 * every layer's file mtimes are clamped to SOURCE_DATE_EPOCH and the digests depend only on the
 * inputs; accelbase then pushes the layout (oci/upload.ts). dockerd's image exporter (docker 26-28)
 * forces `unpack`, which BuildKit refuses to combine with rewrite-timestamp, and buildx's docker
 * driver cannot push by digest; every driver writes an OCI layout.
 */
export function outputSpec(output: ExportKind, layoutDir?: string): string {
  if (output === 'push' || output === 'layout') {
    if (!layoutDir) throw new Error('outputSpec: a push needs the OCI layout folder');
    return `type=oci,dest=${layoutDir},tar=false,rewrite-timestamp=true`;
  }
  if (output === 'load') return 'type=docker';
  return 'type=cacheonly';
}

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

/** One `docker buildx bake` invocation. */
export interface BakeInvocation {
  /** `--file`, in order: a later file overrides an earlier one (the host-network file comes last). */
  files: string[];
  /** `--allow` entitlements: `network.host` (with the host-network file), `fs.read=PATH`. */
  allow?: string[];
  /** A buildx builder other than the current one (`--builder`, ACCELBASE_BUILDER). */
  builder?: string;
  metadataFile?: string;
  /** `--set TARGET.KEY=VALUE` overrides, in order (`*` for every target): see `targetOverrides`. */
  set?: string[];
  noCache?: boolean;
  push?: boolean;
  targets: string[];
}

/** The argument list of an invocation; progress is always rawjson (read by BakeProgress). */
export function bakeArgs(b: BakeInvocation): string[] {
  const args = ['buildx', ...(b.builder ? ['--builder', b.builder] : []), 'bake'];
  for (const file of b.files) args.push('--file', file);
  for (const entitlement of b.allow ?? []) args.push('--allow', entitlement);
  args.push('--progress', 'rawjson');
  if (b.metadataFile) args.push('--metadata-file', b.metadataFile);
  for (const s of b.set ?? []) args.push('--set', s);
  if (b.noCache) args.push('--no-cache');
  if (b.push) args.push('--push');
  args.push(...b.targets);
  return args;
}

/** The entitlement the host-network file (`hostNetworkBake`) needs. */
export const HOST_NETWORK = 'network.host';

/** Settings of a target (or `*`) a bake overrides, under bake's own keys; absent ones keep the file's. */
export interface TargetOverrides {
  platform?: string[];
  /** Each replaces the file's tags (the first) or adds to them. */
  tags?: string[];
  labels?: Record<string, string>;
  /** Build args, in order. */
  args?: Record<string, string>;
  output?: string;
  'cache-from'?: string[];
  'cache-to'?: string[];
  attest?: string;
  /** Named contexts: a `FROM` reference -> its source (`docker-image://...`). */
  contexts?: Record<string, string>;
}

/** `--set` values for one target, in a fixed order: platform, tags, labels, args, output, cache, attest, contexts. */
export function targetOverrides(target: string, o: TargetOverrides): string[] {
  const set: string[] = [];
  if (o.platform) set.push(`${target}.platform=${o.platform.join(',')}`);
  for (const tag of o.tags ?? []) set.push(`${target}.tags=${tag}`);
  for (const [k, v] of Object.entries(o.labels ?? {})) set.push(`${target}.labels.${k}=${v}`);
  for (const [k, v] of Object.entries(o.args ?? {})) set.push(`${target}.args.${k}=${v}`);
  if (o.output) set.push(`${target}.output=${o.output}`);
  for (const c of o['cache-from'] ?? []) set.push(`${target}.cache-from=${c}`);
  for (const c of o['cache-to'] ?? []) set.push(`${target}.cache-to=${c}`);
  if (o.attest) set.push(`${target}.attest=${o.attest}`);
  for (const [ref, source] of Object.entries(o.contexts ?? {})) set.push(`${target}.contexts.${ref}=${source}`);
  return set;
}

/** The provenance attestation setting: `false` disables it (keeps the index digest stable, see README). */
export const attestSpec = (provenance: Provenance = 'false'): string =>
  provenance === 'false' ? 'type=provenance,disabled=true' : `type=provenance,mode=${provenance}`;

/** The image (index) digest buildx wrote for `target` to --metadata-file. */
export function metadataDigest(metadata: unknown, target: string): string | undefined {
  const entry = (metadata as Record<string, Record<string, unknown>> | null)?.[target];
  const digest = entry?.['containerimage.digest'];
  return isDigest(digest) ? digest : undefined;
}

/**
 * The override bake file that puts every target on the host network, for an engine without a bridge
 * network (the committed file stays portable); it goes last in `files`, with `HOST_NETWORK` allowed.
 * buildx 0.29 drops `--set *.network=host`: it prints the override as an empty network, and RUN
 * steps then fail with "network bridge not found".
 */
export function hostNetworkBake(targets: string[]): string {
  const definition: BakeDefinition = { target: Object.fromEntries(targets.map((t) => [t, { network: 'host' }])) };
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** Run bake with the engine's environment: progress shown as plain lines on stderr, kept as `stderr`, and read into `progress`. */
export async function runBake(
  engine: DockerEngine,
  args: string[],
  o: { cwd: string; env?: Record<string, string> },
): Promise<RunResult & { progress: BakeProgress }> {
  const progress = new BakeProgress();
  const r = await run(engine.docker, args, {
    cwd: o.cwd,
    env: { ...engine.env, ...o.env },
    tee: true,
    renderStderr: (line) => progress.render(line),
  });
  return { ...r, progress };
}
