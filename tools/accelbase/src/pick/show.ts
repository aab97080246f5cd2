// `accelbase show`: everything about one image, as data and as text. Pure.
import { deviceFlags } from '../catalog/device.js';
import type { Platform } from '../catalog/grammar.js';
import type { Lock } from '../catalog/lock.js';
import type { Model } from '../catalog/model.js';
import { ownValue } from '../lib/own.js';
import { shellJoin } from '../lib/shell.js';
import type { DeviceProfile, Placement, Smoke } from '../catalog/schema.js';
import { baseChain, type ImageSupport, type Plan, type PlannedImage, type PlannedPackage } from '../plan/plan.js';
import { referenceTo, type ShowPublished } from './candidate.js';
import { runtimeNames, runtimeOf } from './contents.js';
import { resolveImage } from './resolve.js';
import { describePackage, formatVersions, type PackageVersions, type Versions } from './versions.js';

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
  /** Per platform, from the lock: the package set the published image installs (name -> version; null: not recorded yet). */
  installed: Partial<Record<Platform, Record<string, string> | null>>;
  /** Per platform, from the lock: the date of the newest Release its minideb installed from. */
  updatesAsOf: Partial<Record<Platform, string>>;
  /** Its Debian release's support end (locked from distro-info-data) and whether the catalog retired it. */
  support: ImageSupport;
  /** The last smoke run's outcome per platform and tier, where this workspace ran one on the image (else the registry's). */
  tested?: ShowTested[];
  /** With a registry: what it publishes under `ref` (null digest: not in the registry). */
  published?: ShowPublished;
}

/** What `show` says of a smoke result (smoke/outcome.ts SmokeResult, which comes after this folder). */
export interface ShowTested {
  platform: string;
  outcome: string;
  tiers?: { query: { outcome: string }; compute: { outcome: string } };
}

/** What the lock records of the image's installed sets, and of its minideb's updates. */
function installedFacts(
  lock: Lock | undefined,
  chain: PlannedImage[],
  platforms: Platform[],
): Pick<ShowDetails, 'installed' | 'updatesAsOf'> {
  const locked = (name: string) => ownValue(lock?.images ?? {}, name)?.platforms;
  const minideb = chain[chain.length - 1];
  const installed: ShowDetails['installed'] = {};
  const updatesAsOf: ShowDetails['updatesAsOf'] = {};
  for (const platform of platforms) {
    installed[platform] = locked(chain[0].name)?.[platform]?.installed ?? null;
    const asOf = locked(minideb.name)?.[platform]?.updatesAsOf;
    if (asOf) updatesAsOf[platform] = asOf;
  }
  return { installed, updatesAsOf };
}

/** Everything about one image, for `accelbase show`. */
export function showImage(plan: Plan, model: Pick<Model, 'catalog' | 'images'>, ref: string, lock?: Lock): ShowDetails {
  const { image, tag } = resolveImage(plan, model, ref);
  const chain = baseChain(plan, image);
  const { ref: imageRef, from } = referenceTo(image.repository, tag);
  return {
    name: image.name,
    kind: image.kind,
    accelerator: image.accelerator,
    variant: image.variant,
    description: image.description,
    dist: image.dist,
    repository: image.repository,
    tag,
    ref: imageRef,
    from,
    tags: image.tags,
    platforms: image.platforms,
    version: image.version,
    chain: chain.map((img, i) => ({ name: img.name, ref: i === 0 ? imageRef : chain[i - 1].base!.ref })),
    runtime: runtimeOf(plan, runtimeNames(model), image),
    packages: image.packages.map((p) => ({
      name: p.name,
      source: p.source,
      sourceType: p.sourceType,
      ...(p.constraint ? { constraint: p.constraint } : {}),
      locked: p.locked,
    })),
    // Every device the profile names, as if the host had them all.
    device: { profile: image.device, dockerRunFlags: deviceFlags(image.device, () => true) },
    placement: image.placement,
    smoke: image.smoke,
    env: image.env,
    labels: image.labels,
    ...installedFacts(lock, chain, image.platforms),
    support: image.support,
  };
}

const kv = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');

/** One line on the release's support: its end, and retired or not. */
export function supportText(s: ImageSupport): string {
  const end = s.securityEnd
    ? `security support until ${s.securityEnd}`
    : 'support end not locked (run `accelbase update`)';
  return `Debian ${s.debian}, ${s.retired ? `retired (no longer built); ${end}` : end}`;
}

/** The compute tier as declared: a probe in the test image, the query itself, or none. */
export function computeText(s: Smoke): string {
  const c = s.compute;
  if (!c) return 'none: the device query is the only tier';
  if (c.query) return 'the device query (it computes and checks a result)';
  return [
    `probe ${c.probe} in the test image`,
    c.expect && `expect /${c.expect}/`,
    c.noDevice && `no device /${c.noDevice}/`,
    `timeout ${c.timeout}s`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** What `installed` says of a platform with no recorded set: without a registry it is only not recorded here. */
const notRecorded = (p: ShowPublished | undefined) =>
  !p
    ? 'not recorded yet (published images record it)'
    : p.digest
      ? 'unknown (no SBOM in the registry)'
      : 'unknown (not in the registry)';

/** Text for `accelbase show`. */
export function formatShow(d: ShowDetails): string {
  const out: string[] = [d.ref];
  if (d.description) out.push(`  ${d.description}`);
  const row = (label: string, value: string) => out.push(`  ${`${label}:`.padEnd(13)}${value}`);
  if (d.accelerator) row('accelerator', `${d.accelerator}, variant ${d.variant}`);
  row('dist', d.dist);
  row('support', supportText(d.support));
  row('chain', d.chain.map((c, i) => (i === 0 ? c.name : `${c.name} (${c.ref})`)).join(' -> '));
  row('platforms', d.platforms.join(', '));
  row('tags', d.tags.join(', '));
  row('FROM', d.from.slice('FROM '.length));
  if (d.runtime) row('runtime', `${describePackage(d.runtime)}${d.version ? `, tags from ${d.version}` : ''}`);
  if (d.packages.length) {
    out.push('  packages:');
    const w = Math.max(...d.packages.map((p) => p.name.length));
    for (const p of d.packages) {
      const from = `${p.source}${p.source === p.sourceType ? '' : ` (${p.sourceType})`}${p.constraint ? ` ${p.constraint}` : ''}`;
      out.push(`    ${p.name.padEnd(w)}  ${formatVersions(p.locked)}  [${from}]`);
    }
  }
  row(
    'device',
    d.device.profile === 'none' ? 'none' : `${d.device.profile}: docker run ${shellJoin(d.device.dockerRunFlags)}`,
  );
  const { nodeSelector, resources } = d.placement;
  if (Object.keys(nodeSelector).length || Object.keys(resources).length) {
    row(
      'placement',
      [
        Object.keys(nodeSelector).length && `nodeSelector ${kv(nodeSelector)}`,
        Object.keys(resources).length && `resources ${kv(resources)}`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  } else row('placement', 'any node');
  const s = d.smoke;
  row(
    'smoke',
    [
      s.command ? shellJoin(s.command) : s.script,
      `expect /${s.expect}/`,
      s.noDevice && `no device /${s.noDevice}/`,
      `timeout ${s.timeout}s`,
    ]
      .filter(Boolean)
      .join('; '),
  );
  row('compute', computeText(s));
  if (d.tested?.length)
    row(
      'tested',
      d.tested
        .map(
          (t) =>
            `${t.platform} ${t.outcome}${t.tiers ? ` (query ${t.tiers.query.outcome}, compute ${t.tiers.compute.outcome})` : ''}`,
        )
        .join('; '),
    );
  if (Object.keys(d.env).length) row('env', kv(d.env));
  if (Object.keys(d.labels).length) row('labels', kv(d.labels));
  row(
    'installed',
    d.platforms
      .map((platform) => {
        const set = d.installed[platform];
        const asOf = d.updatesAsOf[platform];
        return `${platform} ${set ? `${Object.keys(set).length} packages` : notRecorded(d.published)}${asOf ? `, updates as of ${asOf}` : ''}`;
      })
      .join('; '),
  );
  if (d.published) out.push(...formatPublished(d.published));
  return `${out.join('\n')}\n`;
}

const MIB = 1024 * 1024;

/** The lines on what the registry publishes. */
function formatPublished(p: ShowPublished): string[] {
  if (!p.digest) return [`  ${'published:'.padEnd(13)}unknown (not in the registry: ${p.ref})`];
  const out = [`  ${'published:'.padEnd(13)}${p.ref}@${p.digest}`];
  for (const [platform, f] of Object.entries(p.platforms))
    out.push(
      `    ${platform}  ${f.digest}  ${(f.size / MIB).toFixed(1)} MiB` +
        `${f.created ? `, created ${f.created}` : ''}${f.revision ? `, revision ${f.revision.slice(0, 12)}` : ''}` +
        `${f.supportEnd ? `, support until ${f.supportEnd}` : ''}` +
        `; ${f.packageCount === null ? 'no SBOM' : `${f.packageCount} packages (SBOM)`}` +
        `; smoke ${f.smoke ?? 'unknown (none attached)'}`,
    );
  return out;
}
