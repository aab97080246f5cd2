// Semantic checks beyond the schema. Pure: data in, issues out.
import semver from 'semver';
import type { CatalogIssue } from '../errors.js';
import { DebPackageName, NpmPackageName, PipPackageName } from './grammar.js';
import type { ImageSpec, Model, ResolvedPackage, SourceType } from './model.js';
import type { Catalog, PackageSpec, Variant } from './schema.js';
import { issueAt, type PathKey, type YamlDoc } from './yaml-doc.js';
import { archOf } from './platform.js';
import { ownValue } from '../lib/own.js';

export interface ValidateContext {
  /** Device-query scripts that exist under generators/device-queries/. */
  scripts: ReadonlySet<string>;
}


const nameGrammar: Record<SourceType, { safeParse(v: unknown): { success: boolean } }> = {
  debian: DebPackageName,
  apt: DebPackageName,
  npm: NpmPackageName,
  pip: PipPackageName,
};

/** Does any version satisfy `range`? Invalid and empty ranges both say no. */
export function rangeMatchesSomething(range: string): boolean {
  const valid = semver.validRange(range);
  if (!valid) return false;
  try {
    return semver.minVersion(valid) !== null;
  } catch {
    return false;
  }
}

export function satisfiesLoose(version: string, range: string): boolean {
  const v = semver.coerce(version);
  return v !== null && semver.satisfies(v, range);
}

export function validateModel(y: YamlDoc, catalog: Catalog, ctx: ValidateContext): { model: Model; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const at = (path: PathKey[], message: string, atKey = false) => issues.push(issueAt(y, path, message, atKey));
  const images = new Map<string, ImageSpec>();
  const dists = catalog.distributions;

  if (!ownValue(dists, catalog.defaultDistribution)) at(['defaultDistribution'], `unknown distribution "${catalog.defaultDistribution}"`);

  catalog.minideb.distributions.forEach((d, i) => {
    if (!ownValue(dists, d)) at(['minideb', 'distributions', i], `unknown distribution "${d}"`);
  });
  for (const d of catalog.minideb.distributions) {
    images.set(`minideb-${d}`, {
      name: `minideb-${d}`,
      project: 'minideb',
      kind: 'minideb',
      description: `minideb ${d}`,
      dist: d,
      platforms: [...catalog.minideb.platforms],
      packages: [],
      downloads: [],
      debconf: [],
      env: {},
      labels: {},
      device: 'none',
      placement: { nodeSelector: {}, resources: {} },
      smoke: catalog.minideb.smoke,
      path: ['minideb'],
    });
  }
  checkSmoke(catalog.minideb.smoke, ['minideb', 'smoke'], ctx, at);

  // Pass 1: flatten variants and check what needs no other image.
  const declared: { spec: ImageSpec; base: string; basePath: PathKey[] }[] = [];
  for (const [acc, accelerator] of Object.entries(catalog.accelerators)) {
    for (const [variantName, own] of Object.entries(accelerator.variants)) {
      const path: PathKey[] = ['accelerators', acc, 'variants', variantName];
      const v: Variant = { ...accelerator.defaults, ...own } as Variant;
      const name = `${acc}-${variantName}`;
      if (images.has(name)) {
        at(path, `image name "${name}" is already used by ${images.get(name)!.kind === 'minideb' ? 'minideb' : 'another variant'}`, true);
        continue;
      }
      const fieldPath = (field: keyof Variant): PathKey[] => (Object.hasOwn(own, field) ? [...path, field] : ['accelerators', acc, 'defaults', field]);
      if (!v.base) at(path, 'missing "base" (set it on the variant or in the accelerator\'s defaults)', true);
      if (!v.smoke) at(path, 'missing "smoke" device query (set it on the variant or in the accelerator\'s defaults)', true);
      else checkSmoke(v.smoke, fieldPath('smoke'), ctx, at);

      const packages: ResolvedPackage[] = [];
      const seen = new Set<string>();
      (v.packages ?? []).forEach((entry, i) => {
        const p: PackageSpec = typeof entry === 'string' ? { name: entry } : entry;
        const pPath: PathKey[] = [...fieldPath('packages'), i];
        const sourceName = p.source ?? 'debian';
        const source = ownValue(catalog.sources, sourceName);
        if (!source) {
          at(typeof entry === 'string' ? pPath : [...pPath, 'source'], `unknown source "${sourceName}"`);
          return;
        }
        if (!nameGrammar[source.type].safeParse(p.name).success) {
          at(typeof entry === 'string' ? pPath : [...pPath, 'name'], `"${p.name}" is not a valid ${source.type} package name`);
          return;
        }
        if (seen.has(p.name)) at(pPath, `package "${p.name}" is listed twice`);
        seen.add(p.name);
        if (p.version !== undefined && !rangeMatchesSomething(p.version)) {
          at([...pPath, 'version'], `version range "${p.version}" ${semver.validRange(p.version) ? 'matches no version' : 'is not a valid semver range'}`);
        }
        packages.push({ name: p.name, source: sourceName, sourceType: source.type, version: p.version, requires: p.requires, architectures: p.architectures, path: pPath });
      });
      if (v.runtime !== undefined && !packages.some((p) => p.name === v.runtime)) {
        at(fieldPath('runtime'), `runtime "${v.runtime}" is not one of the image's packages`);
      }
      const spec: ImageSpec = {
        name,
        project: name,
        kind: 'accelerator',
        accelerator: acc,
        variant: variantName,
        description: v.description ?? accelerator.description,
        dist: '',
        platforms: v.platforms ? [...v.platforms] : [],
        runtime: v.runtime,
        packages,
        downloads: v.downloads ?? [],
        debconf: v.debconf ?? [],
        env: v.env ?? {},
        labels: v.labels ?? {},
        device: v.device ?? 'none',
        placement: v.placement ?? { nodeSelector: {}, resources: {} },
        smoke: v.smoke!,
        path,
      };
      images.set(name, spec);
      if (v.base) declared.push({ spec, base: v.base, basePath: fieldPath('base') });
    }
  }

  // Pass 2: resolve bases in dependency order; detect unknown bases and cycles.
  const byName = new Map(declared.map((d) => [d.spec.name, d]));
  const state = new Map<string, 'visiting' | 'done' | 'bad'>();
  const resolve = (d: (typeof declared)[number], chain: string[]): boolean => {
    const s = state.get(d.spec.name);
    if (s === 'done') return true;
    if (s === 'bad') return false;
    if (s === 'visiting') {
      at(d.basePath, `base cycle: ${[...chain.slice(chain.indexOf(d.spec.name)), d.spec.name].join(' -> ')}`);
      state.set(d.spec.name, 'bad');
      return false;
    }
    state.set(d.spec.name, 'visiting');
    const ok = resolveBase(d, [...chain, d.spec.name]);
    state.set(d.spec.name, ok ? 'done' : 'bad');
    return ok;
  };
  const resolveBase = (d: (typeof declared)[number], chain: string[]): boolean => {
    const [baseName, baseDist] = d.base.split(':');
    let base: ImageSpec | undefined;
    if (baseName === 'minideb') {
      const dist = baseDist ?? catalog.defaultDistribution;
      base = images.get(`minideb-${dist}`);
      if (!base) {
        at(d.basePath, `minideb is not built for distribution "${dist}" (minideb.distributions: ${catalog.minideb.distributions.join(', ')})`);
        return false;
      }
    } else {
      const parent = byName.get(baseName);
      if (!parent) {
        at(d.basePath, `unknown image "${baseName}"${suggest(baseName, [...images.keys()].filter((n) => !n.startsWith('minideb-')).concat('minideb'))}`);
        return false;
      }
      if (!resolve(parent, chain)) return false;
      base = parent.spec;
      if (baseDist && baseDist !== base.dist) {
        at(d.basePath, `image "${baseName}" is built on ${base.dist}, not ${baseDist}`);
        return false;
      }
    }
    const spec = d.spec;
    spec.base = base.name;
    spec.dist = base.dist;
    if (spec.platforms.length === 0) spec.platforms = [...base.platforms];
    const extra = spec.platforms.filter((p) => !base!.platforms.includes(p));
    if (extra.length) {
      at([...spec.path, 'platforms'], `${extra.join(', ')} not built by base "${base.name}" (it has ${base.platforms.join(', ')})`);
    }
    checkCompatibility(spec, catalog, at);
    return true;
  };
  for (const d of declared) resolve(d, []);

  return { model: { catalog, images }, issues };
}

function checkCompatibility(spec: ImageSpec, catalog: Catalog, at: (path: PathKey[], message: string) => void): void {
  const dist = ownValue(catalog.distributions, spec.dist);
  if (!dist) return;
  const arches = spec.platforms.map(archOf);
  spec.packages.forEach((p) => {
    const where = p.path;
    if (p.requires?.python && !satisfiesLoose(dist.python, p.requires.python)) {
      at(where, `package "${p.name}" needs Python ${p.requires.python}, but ${spec.dist} has Python ${dist.python}`);
    }
    if (p.requires?.debian && !satisfiesLoose(dist.version, p.requires.debian)) {
      at(where, `package "${p.name}" needs Debian ${p.requires.debian}, but ${spec.dist} is Debian ${dist.version}`);
    }
    const source = ownValue(catalog.sources, p.source);
    const sourceArches = source?.type === 'apt' ? source.architectures : undefined;
    for (const [what, list] of [
      [`source "${p.source}"`, sourceArches],
      [`package "${p.name}"`, p.architectures],
    ] as const) {
      const missing = list ? arches.filter((a) => !list.includes(a as never)) : [];
      if (missing.length) at(where, `${what} has no ${missing.join(', ')} build, so "${spec.name}" cannot target ${missing.map((a) => `linux/${a}`).join(', ')}`);
    }
  });
}

function checkSmoke(smoke: Variant['smoke'], path: PathKey[], ctx: ValidateContext, at: (path: PathKey[], message: string) => void): void {
  if (!smoke) return;
  if (!smoke.script && !smoke.command) at(path, 'smoke needs a "script" or a "command"');
  if (smoke.script && !ctx.scripts.has(smoke.script)) at([...path, 'script'], `no such device-query script generators/device-queries/${smoke.script}`);
  for (const key of ['expect', 'noDevice'] as const) {
    const re = smoke[key];
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch (e) {
      at([...path, key], `not a valid regular expression: ${(e as Error).message}`);
    }
  }
}

/** ` (did you mean "x"?)` for a close name, else the empty string. */
export function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
