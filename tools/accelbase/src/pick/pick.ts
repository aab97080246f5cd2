// The tag picker for app authors: which image and tag to put in FROM, and everything about one
// image. Pure: the plan and model in, plain data (and text) out; the registry's answers come in as
// arguments too.
import semver from 'semver';
import type { Platform } from '../catalog/grammar.js';
import type { Model } from '../catalog/model.js';
import type { DeviceProfile, Placement, Smoke } from '../catalog/schema.js';
import { suggest } from '../catalog/validate.js';
import { UserError } from '../errors.js';
import { deviceFlags } from '../catalog/device.js';
import type { Plan, PlannedImage, PlannedPackage } from '../plan/plan.js';
import { tagVersion } from '../plan/tags.js';
import { archOf, archesOf } from '../catalog/platform.js';
import { ownValue } from '../lib/own.js';

export type Versions = Partial<Record<Platform, string>>;

/** The filters of `accelbase tags`; every one is optional. */
export interface TagQuery {
  accelerator?: string;
  variant?: string;
  /** `arm64` or `linux/arm64` (also `aarch64`, `x86_64`); an image must serve every one. */
  arch?: string[];
  dist?: string;
  /** `<package>@<semver range>`, or a bare `<package>`: the image must contain it. */
  runtime?: string;
}

export interface RuntimeFilter {
  name: string;
  range?: string;
}

export interface PackageVersions {
  name: string;
  /** Locked version per platform; empty until `accelbase update` resolved it. */
  versions: Versions;
  /** The image it comes from, when inherited from a base. */
  from?: string;
}

export interface TagCandidate {
  name: string;
  accelerator?: string;
  variant?: string;
  dist: string;
  repository: string;
  /** The most specific floating tag (or, checked against a registry, the tag that exists there). */
  tag: string;
  /** Every floating tag, most specific last. */
  tags: string[];
  ref: string;
  /** The line to paste into a Dockerfile. */
  from: string;
  platforms: Platform[];
  /** Upstream runtime version the tags are cut from; null until locked. */
  version: string | null;
  runtime: PackageVersions | null;
  /** The package `--runtime` matched, when one was asked for. */
  matched?: PackageVersions;
  /** Set once checked against a registry (`--registry`). */
  inRegistry?: boolean;
  /** Set by `--pin`. */
  digest?: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const ARCH_ALIASES: Record<string, string> = { aarch64: 'arm64', x86_64: 'amd64', x64: 'amd64' };

/** `linux/arm64`, `arm64`, `aarch64` -> `arm64`. */
export function normalizeArch(arch: string): string {
  const a = arch.trim().toLowerCase().replace(/^linux\//, '');
  return ownValue(ARCH_ALIASES, a) ?? a;
}


/** The most specific floating tag: `6.0-trixie`, or the distribution when no version is locked yet. */
export const mostSpecificTag = (img: Pick<PlannedImage, 'tags'>): string => img.tags[img.tags.length - 1] ?? 'latest';

/** `--runtime pocl-opencl-icd@^6` -> name and range; a scoped npm name keeps its leading `@`. */
export function parseRuntime(spec: string): RuntimeFilter {
  const at = spec.lastIndexOf('@');
  const name = (at > 0 ? spec.slice(0, at) : spec).trim();
  const range = at > 0 ? spec.slice(at + 1).trim() : undefined;
  if (!name || (name.startsWith('@') && !name.includes('/'))) throw new UserError(`--runtime "${spec}": expected <package>@<semver range>, e.g. pocl-opencl-icd@^6`);
  if (range === undefined) return { name };
  if (!range || semver.validRange(range) === null) {
    throw new UserError(`--runtime "${spec}": "${range}" is not a semver range (e.g. ^6, >=1.20 <2, 12.4.x)`);
  }
  return { name, range };
}

/** The semver a locked package version stands for: its upstream part (as tags use it), coerced. */
export function upstreamSemver(version: string): semver.SemVer | null {
  return semver.coerce(tagVersion(version) ?? version.replace(/^[0-9]+:/, ''));
}

export function versionSatisfies(version: string, range: string): boolean {
  const v = upstreamSemver(version);
  return v !== null && semver.satisfies(v, range);
}

/** Dotted versions, numerically: 25.0.7 > 12.4.131 > 12.4.127 > 6.0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const c = pa[i].localeCompare(pb[i], 'en', { numeric: true });
    if (c !== 0) return c;
  }
  return 0;
}

/** Newest runtime version first (unlocked last), then image name. */
export function byNewest(a: Pick<TagCandidate, 'name' | 'version'>, b: Pick<TagCandidate, 'name' | 'version'>): number {
  if (a.version !== b.version) {
    if (a.version === null) return 1;
    if (b.version === null) return -1;
    const c = compareVersions(b.version, a.version);
    if (c !== 0) return c;
  }
  return a.name.localeCompare(b.name);
}

/** `6.0-6`, or `amd64=6.0-6 arm64=6.0-7` when platforms differ, or `(not locked)`. */
export function formatVersions(versions: Versions): string {
  const entries = Object.entries(versions) as [Platform, string][];
  if (entries.length === 0) return '(not locked yet)';
  const distinct = new Set(entries.map(([, v]) => v));
  if (distinct.size === 1) return entries[0][1];
  return entries.map(([p, v]) => `${archOf(p)}=${v}`).join(' ');
}

const listOf = (items: string[], max = 6, sep = ', ') => (items.length > max ? `${items.slice(0, max).join(sep)}${sep}and ${items.length - max} more` : items.join(sep));

// ---------------------------------------------------------------------------------------------
// What an image contains

/** The image and its bases, nearest first: [edgetpu-max, minideb-bullseye]. */
export function baseChain(plan: Plan, image: PlannedImage): PlannedImage[] {
  const byName = new Map(plan.images.map((i) => [i.name, i]));
  const chain: PlannedImage[] = [];
  for (let cur: PlannedImage | undefined = image; cur && !chain.includes(cur); cur = cur.base ? byName.get(cur.base.name) : undefined) chain.push(cur);
  return chain;
}

const restrict = (locked: Versions, platforms: readonly Platform[]): Versions =>
  Object.fromEntries(platforms.flatMap((p) => (locked[p] ? [[p, locked[p]]] : [])));

/** A package of the image or, failing that, of the nearest base that installs it. */
export function findPackage(plan: Plan, image: PlannedImage, name: string): PackageVersions | null {
  for (const img of baseChain(plan, image)) {
    const pkg = img.packages.find((p) => p.name === name);
    if (pkg) return { name, versions: restrict(pkg.locked, image.platforms), ...(img === image ? {} : { from: img.name }) };
  }
  return null;
}

/** The package each image's version (and tags) comes from: catalog `runtime:`. */
export function runtimeNames(model: Pick<Model, 'images'>): Map<string, string> {
  return new Map([...model.images.values()].flatMap((s) => (s.runtime ? [[s.name, s.runtime] as const] : [])));
}

function candidateOf(plan: Plan, runtimes: Map<string, string>, img: PlannedImage): TagCandidate {
  const tag = mostSpecificTag(img);
  const runtime = runtimes.get(img.name);
  return {
    name: img.name,
    accelerator: img.accelerator,
    variant: img.variant,
    dist: img.dist,
    repository: img.repository,
    tag,
    tags: img.tags,
    ref: `${img.repository}:${tag}`,
    from: `FROM ${img.repository}:${tag}`,
    platforms: img.platforms,
    version: img.version,
    runtime: runtime ? findPackage(plan, img, runtime) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// accelbase tags

type FilterKey = 'arch' | 'accelerator' | 'variant' | 'dist' | 'runtime';

interface Failure {
  filter: FilterKey;
  /** The image is a different thing (accelerator, variant, lacks the package), not just built differently. */
  identity: boolean;
  /** Why, after the image's name: `is amd64 only`. */
  reason: string;
  /** How far this puts the image from the query: lacking the package at all is further than its version. */
  weight: number;
  /** The image's value for this filter, for summaries: `bullseye`, `amd64`, `6.0`. */
  value: string;
}

interface NormalQuery {
  accelerator?: string;
  variant?: string;
  arch: string[];
  dist?: string;
  runtime?: RuntimeFilter;
}

function checkKnown(what: string, value: string | undefined, known: string[]): void {
  if (value === undefined || known.includes(value)) return;
  throw new UserError(`unknown ${what} "${value}"${suggest(value, known)} (known: ${known.join(', ')})`);
}

function normalizeQuery(plan: Plan, model: Pick<Model, 'catalog'>, runtimes: Map<string, string>, images: PlannedImage[], query: TagQuery): NormalQuery {
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  const q: NormalQuery = {
    accelerator: query.accelerator || undefined,
    variant: query.variant || undefined,
    arch: [...new Set((query.arch ?? []).map(normalizeArch).filter(Boolean))],
    dist: query.dist || undefined,
    runtime: query.runtime ? parseRuntime(query.runtime) : undefined,
  };
  checkKnown('accelerator', q.accelerator, uniq(images.map((i) => i.accelerator)));
  checkKnown('variant', q.variant, uniq(images.map((i) => i.variant)));
  checkKnown('distribution', q.dist, Object.keys(model.catalog.distributions));
  const arches = uniq(plan.images.flatMap((i) => archesOf(i.platforms)));
  for (const a of q.arch) checkKnown('architecture', a, arches);
  if (q.runtime) {
    const names = uniq(images.flatMap((i) => baseChain(plan, i).flatMap((b) => b.packages.map((p) => p.name))));
    if (!names.includes(q.runtime.name)) {
      throw new UserError(`no image has package "${q.runtime.name}"${suggest(q.runtime.name, names)} (runtime packages: ${uniq(images.map((i) => runtimes.get(i.name))).join(', ')})`);
    }
  }
  return q;
}

function failuresOf(plan: Plan, img: PlannedImage, q: NormalQuery): { failures: Failure[]; matched?: PackageVersions } {
  const failures: Failure[] = [];
  if (q.accelerator && img.accelerator !== q.accelerator) failures.push({ filter: 'accelerator', identity: true, weight: 1, value: img.accelerator ?? '', reason: `is accelerator ${img.accelerator}` });
  if (q.variant && img.variant !== q.variant) failures.push({ filter: 'variant', identity: true, weight: 1, value: img.variant ?? '', reason: `is variant ${img.variant}` });
  const arches = archesOf(img.platforms);
  const missingArch = q.arch.filter((a) => !arches.includes(a));
  if (missingArch.length) failures.push({ filter: 'arch', identity: false, weight: 1, value: arches.join(', '), reason: `is ${arches.join(', ')} only` });
  if (q.dist && img.dist !== q.dist) failures.push({ filter: 'dist', identity: false, weight: 1, value: img.dist, reason: `is ${img.dist} only` });
  let matched: PackageVersions | undefined;
  if (q.runtime) {
    const pkg = findPackage(plan, img, q.runtime.name);
    if (!pkg) {
      failures.push({ filter: 'runtime', identity: true, weight: 2, value: 'none', reason: `has no ${q.runtime.name}` });
    } else {
      matched = pkg;
      const range = q.runtime.range;
      // With --arch, the versions on those platforms are the ones that count.
      const considered = Object.entries(pkg.versions).filter(([p]) => q.arch.length === 0 || q.arch.includes(archOf(p)));
      if (range && !considered.some(([, v]) => versionSatisfies(v, range))) {
        const reason =
          Object.keys(pkg.versions).length === 0
            ? `has ${pkg.name} not locked yet (run \`accelbase update\`)`
            : `has ${pkg.name} ${formatVersions(pkg.versions)}${pkg.from ? ` (from ${pkg.from})` : ''}`;
        const value = [...new Set(Object.values(pkg.versions).map((v) => tagVersion(v) ?? v))].join(', ') || 'not locked';
        failures.push({ filter: 'runtime', identity: false, weight: 1, value, reason });
      }
    }
  }
  return { failures, matched };
}

function describeQuery(q: NormalQuery): string {
  const parts = [
    q.accelerator && `accelerator ${q.accelerator}`,
    q.variant && `variant ${q.variant}`,
    q.dist && `dist ${q.dist}`,
    q.runtime && `runtime ${q.runtime.name}${q.runtime.range ? `@${q.runtime.range}` : ''}`,
  ].filter(Boolean);
  return `no image${q.arch.length ? ` for arch ${q.arch.join(', ')}` : ''}${parts.length ? ` with ${parts.join(' ')}` : ''}`;
}

/** What a near image offers for the filters that are about how it is built. */
function annotate(plan: Plan, img: PlannedImage, q: NormalQuery): string {
  const notes: string[] = [];
  if (q.arch.length) {
    const arches = archesOf(img.platforms);
    notes.push(q.arch.every((a) => arches.includes(a)) ? q.arch.join(', ') : `${arches.join(', ')} only`);
  }
  if (q.dist) notes.push(img.dist);
  if (q.runtime) {
    const pkg = findPackage(plan, img, q.runtime.name);
    notes.push(pkg ? `${pkg.name} ${formatVersions(pkg.versions)}` : `no ${q.runtime.name}`);
  }
  return notes.length ? `${img.name} (${notes.join('; ')})` : img.name;
}

/** The message when nothing matches: what was asked, why the nearest images missed, the closest ones. */
function noMatch(plan: Plan, q: NormalQuery, scored: { img: PlannedImage; failures: Failure[] }[]): string {
  if (scored.length === 0) return 'the catalog has no accelerator images';
  const distance = (fs: Failure[]) => fs.reduce((n, f) => n + f.weight, 0);
  const fewest = Math.min(...scored.map((s) => distance(s.failures)));
  const nearest = scored.filter((s) => distance(s.failures) === fewest).sort((a, b) => a.img.name.localeCompare(b.img.name));
  const explained = nearest.filter((s) => s.failures.every((f) => !f.identity));
  const closest = nearest.filter((s) => s.failures.some((f) => f.identity));
  const parts = [describeQuery(q)];
  const only = explained[0]?.failures.length === 1 ? explained[0].failures[0].filter : undefined;
  if (explained.length > 3 && explained.every((s) => s.failures.length === 1 && s.failures[0].filter === only)) {
    // Many images missing for the same reason: say what exists instead of naming each one.
    const values = [...new Set(explained.map((s) => s.failures[0].value))].sort();
    parts.push(
      only === 'dist' ? `images are built on ${values.join(', ')}` : only === 'arch' ? `images are built for ${values.join(' or ')}` : `${q.runtime?.name} is ${values.join(', ')}`,
    );
  } else if (explained.length) {
    parts.push(listOf(explained.map((s) => `${s.img.name} ${s.failures.map((f) => f.reason).join(' and ')}`), 5, '; '));
  }
  if (closest.length) parts.push(`closest: ${listOf(closest.map((s) => annotate(plan, s.img, q)), 5)}`);
  return parts.join('; ');
}

/** Images for `accelbase tags`, newest first; a UserError naming the closest images when none matches. */
export function pickTags(plan: Plan, model: Pick<Model, 'catalog' | 'images'>, query: TagQuery = {}): TagCandidate[] {
  const images = plan.images.filter((i) => i.kind === 'accelerator');
  const runtimes = runtimeNames(model);
  const q = normalizeQuery(plan, model, runtimes, images, query);
  const scored = images.map((img) => ({ img, ...failuresOf(plan, img, q) }));
  const hits = scored.filter((s) => s.failures.length === 0);
  if (hits.length === 0) throw new UserError(noMatch(plan, q, scored));
  return hits
    .map(({ img, matched }) => {
      const c = candidateOf(plan, runtimes, img);
      return q.runtime && matched ? { ...c, matched } : c;
    })
    .sort(byNewest);
}

/** Build tags that stand in for a floating one: `6.0-trixie-20261128` for `6.0-trixie`. */
const buildTagOf = (floating: string) => new RegExp(`^${floating.replace(/[.]/g, '\\.')}-[0-9]{8}$`);

/**
 * Checked against the tags a registry holds: the floating tag if it is there, else the newest
 * build tag of the same version and distribution (`build --push` pushes only those), else missing.
 */
export function applyRegistryTags(c: TagCandidate, registryTags: readonly string[]): TagCandidate {
  const floating = mostSpecificTag(c);
  const tag = registryTags.includes(floating) ? floating : registryTags.filter((t) => buildTagOf(floating).test(t)).sort().pop();
  if (!tag) return { ...c, tag: floating, ref: `${c.repository}:${floating}`, from: `FROM ${c.repository}:${floating}`, inRegistry: false };
  return { ...c, tag, ref: `${c.repository}:${tag}`, from: `FROM ${c.repository}:${tag}`, inRegistry: true };
}

/** `FROM repo:tag@sha256:...`: the tag for people, the digest for reproducibility. */
export function pinCandidate(c: TagCandidate, digest: string): TagCandidate {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new UserError(`${c.ref}: the registry answered digest "${digest}", not sha256:<64 hex>`);
  return { ...c, digest, ref: `${c.repository}:${c.tag}@${digest}`, from: `FROM ${c.repository}:${c.tag}@${digest}` };
}

/** Text for `accelbase tags`: per image one line of facts and the FROM line. */
export function formatTags(list: TagCandidate[], registry?: string): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of list) {
    const runtime = c.runtime ? `${c.runtime.name} ${formatVersions(c.runtime.versions)}${c.runtime.from ? ` (from ${c.runtime.from})` : ''}` : 'no runtime package';
    const matched = c.matched && c.matched.name !== c.runtime?.name ? `; ${c.matched.name} ${formatVersions(c.matched.versions)}${c.matched.from ? ` (from ${c.matched.from})` : ''}` : '';
    lines.push(`${c.name.padEnd(width)}  ${c.platforms.map(archOf).join(',').padEnd(11)}  ${c.dist.padEnd(8)}  ${runtime}${matched}`);
    lines.push(c.inRegistry === false ? `    # not in ${registry ?? 'the registry'}: no ${c.tag} tag (nor ${c.tag}-YYYYMMDD)` : `    ${c.from}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// accelbase show

/** `opencl-pocl`, `acceleratorbase/opencl-pocl:6.0-trixie`, `minideb:bullseye` -> the image and tag. */
export function resolveImage(plan: Plan, model: Pick<Model, 'catalog'>, ref: string): { image: PlannedImage; tag: string } {
  if (!ref) throw new UserError('expected an image, like opencl-pocl or acceleratorbase/opencl-pocl:6.0-trixie', 2);
  if (ref.includes('@')) throw new UserError(`${ref}: give a tag, not a digest`);
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > ref.lastIndexOf('/');
  const repo = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : undefined;
  const slash = repo.lastIndexOf('/');
  const namespace = slash < 0 ? undefined : repo.slice(0, slash);
  const short = repo.slice(slash + 1);
  const namespaces = [...new Set([plan.namespace, model.catalog.registry.namespace])];
  if (namespace !== undefined && !namespaces.includes(namespace)) {
    throw new UserError(`${ref}: not an image of ${namespaces.join(' or ')} (use a catalog name like ${short}, or --registry ${namespace})`);
  }
  const byName = plan.images.filter((i) => i.name === short);
  const candidates = byName.length ? byName : plan.images.filter((i) => i.project === short);
  if (candidates.length === 0) {
    const known = [...new Set(plan.images.flatMap((i) => [i.name, i.project]))];
    throw new UserError(`unknown image "${short}"${suggest(short, known)} (known: ${plan.images.map((i) => i.name).join(', ')})`);
  }
  if (tag === undefined) {
    const image = candidates.length === 1 ? candidates[0] : candidates.find((i) => i.tags.includes('latest'));
    if (!image) throw new UserError(`${ref} is ${candidates.map((i) => `${i.repository}:${i.dist}`).join(', ')}: name a tag`);
    return { image, tag: mostSpecificTag(image) };
  }
  const image = candidates.find((i) => i.tags.includes(tag));
  if (!image) {
    const tags = candidates.flatMap((i) => i.tags);
    throw new UserError(`${short} has no tag "${tag}"${suggest(tag, tags)} (tags: ${[...new Set(tags)].join(', ')})`);
  }
  return { image, tag };
}

export interface ShowPackage {
  name: string;
  source: string;
  sourceType: PlannedPackage['sourceType'];
  constraint?: string;
  locked: Versions;
}

export interface ShowDetails {
  name: string;
  kind: PlannedImage['kind'];
  accelerator?: string;
  variant?: string;
  description?: string;
  dist: string;
  repository: string;
  tag: string;
  ref: string;
  from: string;
  tags: string[];
  platforms: Platform[];
  version: string | null;
  /** The image, then each base down to minideb: name and the reference it is built FROM. */
  chain: { name: string; ref: string }[];
  runtime: PackageVersions | null;
  packages: ShowPackage[];
  device: { profile: DeviceProfile; dockerRunFlags: string[] };
  placement: Placement;
  smoke: Smoke;
  env: Record<string, string>;
  labels: Record<string, string>;
}

/** Everything about one image, for `accelbase show`. */
export function showImage(plan: Plan, model: Pick<Model, 'catalog' | 'images'>, ref: string): ShowDetails {
  const { image, tag } = resolveImage(plan, model, ref);
  const runtime = runtimeNames(model).get(image.name);
  const chain = baseChain(plan, image);
  return {
    name: image.name,
    kind: image.kind,
    accelerator: image.accelerator,
    variant: image.variant,
    description: image.description,
    dist: image.dist,
    repository: image.repository,
    tag,
    ref: `${image.repository}:${tag}`,
    from: `FROM ${image.repository}:${tag}`,
    tags: image.tags,
    platforms: image.platforms,
    version: image.version,
    chain: chain.map((img, i) => ({ name: img.name, ref: i === 0 ? `${image.repository}:${tag}` : chain[i - 1].base!.ref })),
    runtime: runtime ? findPackage(plan, image, runtime) : null,
    packages: image.packages.map((p) => ({ name: p.name, source: p.source, sourceType: p.sourceType, ...(p.constraint ? { constraint: p.constraint } : {}), locked: p.locked })),
    // Every device the profile names, as if the host had them all.
    device: { profile: image.device, dockerRunFlags: deviceFlags(image.device, () => true) },
    placement: image.placement,
    smoke: image.smoke,
    env: image.env,
    labels: image.labels,
  };
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_./:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const kv = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}=${String(v)}`).join(', ');

/** Text for `accelbase show`. */
export function formatShow(d: ShowDetails): string {
  const out: string[] = [d.ref];
  if (d.description) out.push(`  ${d.description}`);
  const row = (label: string, value: string) => out.push(`  ${`${label}:`.padEnd(13)}${value}`);
  if (d.accelerator) row('accelerator', `${d.accelerator}, variant ${d.variant}`);
  row('dist', d.dist);
  row('chain', d.chain.map((c, i) => (i === 0 ? c.name : `${c.name} (${c.ref})`)).join(' -> '));
  row('platforms', d.platforms.join(', '));
  row('tags', d.tags.join(', '));
  row('FROM', d.from.slice('FROM '.length));
  if (d.runtime) {
    row('runtime', `${d.runtime.name} ${formatVersions(d.runtime.versions)}${d.runtime.from ? ` (from ${d.runtime.from})` : ''}${d.version ? `, tags from ${d.version}` : ''}`);
  }
  if (d.packages.length) {
    out.push('  packages:');
    const w = Math.max(...d.packages.map((p) => p.name.length));
    for (const p of d.packages) {
      const from = `${p.source}${p.source === p.sourceType ? '' : ` (${p.sourceType})`}${p.constraint ? ` ${p.constraint}` : ''}`;
      out.push(`    ${p.name.padEnd(w)}  ${formatVersions(p.locked)}  [${from}]`);
    }
  }
  row('device', d.device.profile === 'none' ? 'none' : `${d.device.profile}: docker run ${d.device.dockerRunFlags.map(shellQuote).join(' ')}`);
  const { nodeSelector, resources } = d.placement;
  if (Object.keys(nodeSelector).length || Object.keys(resources).length) {
    row('placement', [Object.keys(nodeSelector).length && `nodeSelector ${kv(nodeSelector)}`, Object.keys(resources).length && `resources ${kv(resources)}`].filter(Boolean).join('; '));
  } else row('placement', 'any node');
  const s = d.smoke;
  row('smoke', [s.command ? s.command.map(shellQuote).join(' ') : s.script, `expect /${s.expect}/`, s.noDevice && `no device /${s.noDevice}/`, `timeout ${s.timeout}s`].filter(Boolean).join('; '));
  if (Object.keys(d.env).length) row('env', kv(d.env));
  if (Object.keys(d.labels).length) row('labels', kv(d.labels));
  return `${out.join('\n')}\n`;
}
