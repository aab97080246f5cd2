// From the schema-checked catalog to the model: one ImageSpec per image, defaults merged, bases
// resolved in dependency order. Each fact is checked where it is built (validate.ts holds the checks),
// so every issue keeps its position. Pure: data in, model and issues out.
import semver from 'semver';
import type { CatalogIssue } from '../errors.js';
import { ownValue } from '../lib/own.js';
import { unknownName } from '../lib/suggest.js';
import type { ImageSpec, Model, ResolvedPackage } from './model.js';
import type { Catalog, PackageSpec, Variant } from './schema.js';
import { sourceTypeFacts } from './source-types.js';
import {
  checkCompatibility,
  checkInstallsSomething,
  checkSmoke,
  rangeMatchesSomething,
  type Report,
  type ValidateContext,
} from './validate.js';
import { issueAt, type PathKey, type YamlDoc } from './yaml-doc.js';

/** A variant whose base is still to be resolved. */
interface Declared {
  spec: ImageSpec;
  base: string;
  basePath: PathKey[];
}

export function buildModel(
  y: YamlDoc,
  catalog: Catalog,
  ctx: ValidateContext,
): { model: Model; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const at: Report = (path, message, atKey = false) =>
    issues.push(issueAt(y, ctx.originalPath?.(path) ?? path, message, atKey));
  const images = new Map<string, ImageSpec>();
  addMinideb(catalog, images, ctx, at);
  const declared = addVariants(catalog, images, ctx, at);
  resolveBases(catalog, images, declared, ctx, at);
  // A compute probe's test image is the bake target `<image>-test`: no image may have that name.
  // A spec built from the accepted part of a refused document may have no smoke.
  for (const spec of images.values())
    if (spec.smoke?.compute?.probe && images.has(`${spec.name}-test`))
      at(
        [...images.get(`${spec.name}-test`)!.path],
        `image name "${spec.name}-test" is the test image of ${spec.name}`,
        true,
      );
  return { model: { catalog, images }, issues };
}

/** Is `path` a part of the document the schema refused, and reported already? */
const refused = (ctx: ValidateContext, path: PathKey[]) => ctx.refused?.(path) ?? false;

function addMinideb(catalog: Catalog, images: Map<string, ImageSpec>, ctx: ValidateContext, at: Report): void {
  const dists = catalog.distributions;
  const unknownDist = (d: string) => unknownName('distribution', d, Object.keys(dists));
  if (!ownValue(dists, catalog.defaultDistribution) && !refused(ctx, ['distributions', catalog.defaultDistribution]))
    at(['defaultDistribution'], unknownDist(catalog.defaultDistribution));
  catalog.minideb.distributions.forEach((d, i) => {
    if (!ownValue(dists, d) && !refused(ctx, ['distributions', d])) at(['minideb', 'distributions', i], unknownDist(d));
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
}

/**
 * The packages of one variant, each with its source; bad entries are reported and left out, and
 * named in `refused` so that nothing else reports them again (a runtime among them is not "missing").
 */
function variantPackages(
  catalog: Catalog,
  list: Variant['packages'],
  listPath: PathKey[],
  ctx: ValidateContext,
  at: Report,
): { packages: ResolvedPackage[]; refused: Set<string> } {
  const packages: ResolvedPackage[] = [];
  const dropped = new Set<string>();
  const seen = new Set<string>();
  (list ?? []).forEach((entry, i) => {
    const p: PackageSpec = typeof entry === 'string' ? { name: entry } : entry;
    const pPath: PathKey[] = [...listPath, i];
    const sourceName = p.source ?? 'debian';
    const source = ownValue(catalog.sources, sourceName);
    if (!source) {
      if (!refused(ctx, ['sources', sourceName]))
        at(
          typeof entry === 'string' ? pPath : [...pPath, 'source'],
          unknownName('source', sourceName, Object.keys(catalog.sources), 'sources in the catalog'),
        );
      dropped.add(p.name);
      return;
    }
    if (!sourceTypeFacts(source.type).packageName.safeParse(p.name).success) {
      at(
        typeof entry === 'string' ? pPath : [...pPath, 'name'],
        `"${p.name}" is not a valid ${source.type} package name`,
      );
      dropped.add(p.name);
      return;
    }
    if (seen.has(p.name)) at(pPath, `package "${p.name}" is listed twice`);
    seen.add(p.name);
    if (p.version !== undefined && !rangeMatchesSomething(p.version)) {
      at(
        [...pPath, 'version'],
        `version range "${p.version}" ${semver.validRange(p.version) ? 'matches no version' : 'is not a valid semver range'}`,
      );
    }
    packages.push({
      name: p.name,
      source: sourceName,
      sourceType: source.type,
      version: p.version,
      requires: p.requires,
      architectures: p.architectures,
      path: pPath,
    });
  });
  return { packages, refused: dropped };
}

/** Pass 1: every variant flattened over its accelerator's defaults, checked where it needs no other image. */
function addVariants(catalog: Catalog, images: Map<string, ImageSpec>, ctx: ValidateContext, at: Report): Declared[] {
  const declared: Declared[] = [];
  for (const [acc, accelerator] of Object.entries(catalog.accelerators)) {
    for (const [variantName, own] of Object.entries(accelerator.variants)) {
      const path: PathKey[] = ['accelerators', acc, 'variants', variantName];
      const v: Variant = { ...accelerator.defaults, ...own } as Variant;
      const name = `${acc}-${variantName}`;
      if (images.has(name)) {
        at(
          path,
          `image name "${name}" is already used by ${images.get(name)!.kind === 'minideb' ? 'minideb' : 'another variant'}`,
          true,
        );
        continue;
      }
      const fieldPath = (field: keyof Variant): PathKey[] =>
        Object.hasOwn(own, field) ? [...path, field] : ['accelerators', acc, 'defaults', field];
      // A field the schema refused, on the variant or in the defaults, is reported already.
      const fieldRefused = (field: keyof Variant) =>
        refused(ctx, [...path, field]) || refused(ctx, ['accelerators', acc, 'defaults', field]);
      if (!v.base && !fieldRefused('base'))
        at(path, 'missing "base" (set it on the variant or in the accelerator\'s defaults)', true);
      if (!v.smoke) {
        if (!fieldRefused('smoke'))
          at(path, 'missing "smoke" device query (set it on the variant or in the accelerator\'s defaults)', true);
      } else checkSmoke(v.smoke, fieldPath('smoke'), ctx, at);
      const { packages, refused: refusedPackages } = variantPackages(
        catalog,
        v.packages,
        fieldPath('packages'),
        ctx,
        at,
      );
      // A misspelt or refused `packages` is reported already: that it installs nothing follows from it.
      if (!fieldRefused('packages') && !fieldRefused('downloads')) checkInstallsSomething(v, fieldPath, path, at);
      if (
        v.runtime !== undefined &&
        !refusedPackages.has(v.runtime) &&
        !fieldRefused('packages') &&
        !packages.some((p) => p.name === v.runtime)
      )
        at(fieldPath('runtime'), `runtime "${v.runtime}" is not one of the image's packages`);
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
  return declared;
}

/** Pass 2: bases in dependency order; unknown bases and cycles are reported. */
function resolveBases(
  catalog: Catalog,
  images: Map<string, ImageSpec>,
  declared: Declared[],
  ctx: ValidateContext,
  at: Report,
): void {
  const byName = new Map(declared.map((d) => [d.spec.name, d]));
  const state = new Map<string, 'visiting' | 'done' | 'bad'>();
  const resolve = (d: Declared, chain: string[]): boolean => {
    const s = state.get(d.spec.name);
    if (s === 'done') return true;
    if (s === 'bad') return false;
    if (s === 'visiting') {
      at(d.basePath, `base cycle: ${[...chain.slice(chain.indexOf(d.spec.name)), d.spec.name].join(' -> ')}`);
      state.set(d.spec.name, 'bad');
      return false;
    }
    state.set(d.spec.name, 'visiting');
    const base = findBase(catalog, images, byName, d, [...chain, d.spec.name], resolve, ctx, at);
    if (base) attachBase(catalog, d.spec, base, ctx, at);
    state.set(d.spec.name, base ? 'done' : 'bad');
    return base !== undefined;
  };
  for (const d of declared) resolve(d, []);
}

/** The image `d` is built on (resolved first), or undefined after reporting why there is none. */
function findBase(
  catalog: Catalog,
  images: Map<string, ImageSpec>,
  byName: Map<string, Declared>,
  d: Declared,
  chain: string[],
  resolve: (d: Declared, chain: string[]) => boolean,
  ctx: ValidateContext,
  at: Report,
): ImageSpec | undefined {
  const [baseName, baseDist] = d.base.split(':');
  if (baseName === 'minideb') {
    const dist = baseDist ?? catalog.defaultDistribution;
    const base = images.get(`minideb-${dist}`);
    // A misspelt name in minideb.distributions is reported where it stands, not again by each image on it.
    const listWrong = catalog.minideb.distributions.some((name) => !ownValue(catalog.distributions, name));
    if (!base && !listWrong && !refused(ctx, ['minideb', 'distributions'])) {
      const built = catalog.minideb.distributions;
      const { suggestion } = unknownName('distribution', dist, built);
      at(d.basePath, {
        message: `minideb is not built for distribution "${dist}"${suggestion ? ` (did you mean "minideb:${suggestion}"?)` : ''} (minideb.distributions: ${built.join(', ')})`,
        suggestion: suggestion && `minideb:${suggestion}`,
      });
    }
    return base;
  }
  const parent = byName.get(baseName);
  if (!parent && ctx.refusedImage?.(baseName)) return undefined;
  if (!parent) {
    // A base is written `minideb:<distribution>` or an image's name, as `accelbase ls` prints it.
    const bases = [
      'minideb',
      ...catalog.minideb.distributions.map((dist) => `minideb:${dist}`),
      ...[...images.keys()].filter((n) => !n.startsWith('minideb-')),
    ];
    at(d.basePath, unknownName('image', d.base, bases, 'valid bases'));
    return undefined;
  }
  if (!resolve(parent, chain)) return undefined;
  if (baseDist && baseDist !== parent.spec.dist) {
    at(d.basePath, `image "${baseName}" is built on ${parent.spec.dist}, not ${baseDist}`);
    return undefined;
  }
  return parent.spec;
}

/** A variant inherits its base's distribution, and its platforms unless it names a subset. */
function attachBase(catalog: Catalog, spec: ImageSpec, base: ImageSpec, ctx: ValidateContext, at: Report): void {
  spec.base = base.name;
  spec.dist = base.dist;
  if (spec.platforms.length === 0) spec.platforms = [...base.platforms];
  const extra = spec.platforms.filter((p) => !base.platforms.includes(p));
  if (extra.length)
    at(
      [...spec.path, 'platforms'],
      `${extra.join(', ')} not built by base "${base.name}" (it has ${base.platforms.join(', ')})`,
    );
  // Platforms the schema refused are inherited here only to go on: no architecture is "missing" for them.
  const platformsRefused =
    refused(ctx, [...spec.path, 'platforms']) ||
    refused(ctx, ['accelerators', spec.accelerator ?? '', 'defaults', 'platforms']);
  checkCompatibility(platformsRefused ? { ...spec, platforms: [] } : spec, catalog, at);
}
