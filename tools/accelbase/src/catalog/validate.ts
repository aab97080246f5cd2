// Semantic checks beyond the schema, on a model being built (catalog/build-model.ts). Pure: data in, issues out.
import semver from 'semver';
import type { ImageSpec } from './model.js';
import type { Catalog, Variant } from './schema.js';
import type { PathKey } from './yaml-doc.js';
import { archOf } from './platform.js';
import { sourceTypeFacts } from './source-types.js';
import { ownValue } from '../lib/own.js';
import { knownList, unknownName, type Unknown } from '../lib/suggest.js';

export interface ValidateContext {
  /** Device-query scripts that exist under generators/device-queries/. */
  scripts: ReadonlySet<string>;
  /**
   * Set when the schema refused parts of the document (catalog/accepted-part.ts) and the model is built
   * from the rest: is `path` refused (already reported), so that checks needing it say nothing?
   */
  refused?: (path: PathKey[]) => boolean;
  /** Is `name` the image of a variant the schema refused? */
  refusedImage?: (name: string) => boolean;
  /** A path of the accepted part as a path of the document. */
  originalPath?: (path: PathKey[]) => PathKey[];
  /** Compute probes (folders) that exist under generators/compute-probes/. */
  probes: ReadonlySet<string>;
}

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

export function checkCompatibility(
  spec: ImageSpec,
  catalog: Catalog,
  at: (path: PathKey[], message: string) => void,
): void {
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
    const sourceArches = source && sourceTypeFacts(source.type).architectures?.(source);
    for (const [what, list] of [
      [`source "${p.source}"`, sourceArches],
      [`package "${p.name}"`, p.architectures],
    ] as const) {
      const missing = list ? arches.filter((a) => !list.includes(a as never)) : [];
      if (missing.length)
        at(
          where,
          `${what} has no ${missing.join(', ')} build, so "${spec.name}" cannot target ${missing.map((a) => `linux/${a}`).join(', ')}`,
        );
    }
  });
}

export function checkSmoke(smoke: Variant['smoke'], path: PathKey[], ctx: ValidateContext, at: Report): void {
  if (!smoke) return;
  const refused = (field: string) => ctx.refused?.([...path, field]) ?? false;
  if (!smoke.script && !smoke.command && !refused('script') && !refused('command'))
    at(path, 'smoke needs a "script" or a "command"');
  if (smoke.script && !ctx.scripts.has(smoke.script)) {
    const { suggestion } = unknownName('script', smoke.script, [...ctx.scripts]);
    at([...path, 'script'], {
      message: `no such device-query script generators/device-queries/${smoke.script}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${knownList('scripts there', [...ctx.scripts].sort())}`,
      suggestion,
    });
  }
  checkPatterns(smoke, path, at);
  const compute = smoke.compute;
  if (!compute) return;
  const cPath: PathKey[] = [...path, 'compute'];
  if (compute.probe && compute.query) at(cPath, 'compute is a "probe" or the "query", not both');
  else if (!compute.probe && !compute.query && !refused('compute'))
    at(cPath, 'compute needs a "probe" (or `query: true`)');
  if (compute.probe && !ctx.probes.has(compute.probe)) {
    const { suggestion } = unknownName('probe', compute.probe, [...ctx.probes]);
    at([...cPath, 'probe'], {
      message: `no such compute probe generators/compute-probes/${compute.probe}/${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${knownList('probes there', [...ctx.probes].sort())}`,
      suggestion,
    });
  }
  if (compute.probe && compute.expect === undefined) at(cPath, 'a compute probe needs "expect": its right result');
  if (compute.query && !compute.probe)
    for (const key of ['expect', 'noDevice'] as const)
      if (compute[key] !== undefined) at([...cPath, key], `the query's own "${key}" applies: remove this one`);
  checkPatterns(compute, cPath, at);
}

function checkPatterns(
  patterns: { expect?: string; noDevice?: string },
  path: PathKey[],
  at: (path: PathKey[], message: string) => void,
): void {
  for (const key of ['expect', 'noDevice'] as const) {
    const re = patterns[key];
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch (e) {
      at([...path, key], `not a valid regular expression: ${(e as Error).message}`);
    }
  }
}

/**
 * An accelerator image installs something (packages or downloads), or says it is a plain base on
 * purpose (`plainBase: true`): an empty variant would publish minideb under an accelerator's name.
 */
export function checkInstallsSomething(
  v: Variant,
  fieldPath: (field: keyof Variant) => PathKey[],
  path: PathKey[],
  at: Report,
): void {
  const installs = (v.packages ?? []).length + (v.downloads ?? []).length > 0;
  if (v.plainBase && installs)
    at(fieldPath('plainBase'), '"plainBase: true" but it installs packages or downloads: remove one or the other');
  if (v.plainBase || installs) return;
  at(
    path,
    'installs no packages: list the runtime\'s packages under "packages" (e.g. packages: [clinfo]), or set "plainBase: true" if this image is a plain base on purpose',
    true,
  );
}

/**
 * Where an issue goes: a path in the document and a message, with the name it suggests when it is
 * about an unknown one (atKey: point at the key, not the value).
 */
export type Report = (path: PathKey[], message: string | Unknown, atKey?: boolean) => void;
