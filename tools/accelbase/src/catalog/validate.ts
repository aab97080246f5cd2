// Semantic checks beyond the schema, on a model being built (catalog/build-model.ts). Pure: data in, issues out.
import semver from 'semver';
import type { ImageSpec } from './model.js';
import type { Catalog, Variant } from './schema.js';
import type { PathKey } from './yaml-doc.js';
import { archOf } from './platform.js';
import { sourceTypeFacts } from './source-types.js';
import { ownValue } from '../lib/own.js';

export interface ValidateContext {
  /** Device-query scripts that exist under generators/device-queries/. */
  scripts: ReadonlySet<string>;
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

export function checkSmoke(
  smoke: Variant['smoke'],
  path: PathKey[],
  ctx: ValidateContext,
  at: (path: PathKey[], message: string) => void,
): void {
  if (!smoke) return;
  if (!smoke.script && !smoke.command) at(path, 'smoke needs a "script" or a "command"');
  if (smoke.script && !ctx.scripts.has(smoke.script))
    at([...path, 'script'], `no such device-query script generators/device-queries/${smoke.script}`);
  checkPatterns(smoke, path, at);
  const compute = smoke.compute;
  if (!compute) return;
  const cPath: PathKey[] = [...path, 'compute'];
  if (compute.probe && compute.query) at(cPath, 'compute is a "probe" or the "query", not both');
  else if (!compute.probe && !compute.query) at(cPath, 'compute needs a "probe" (or `query: true`)');
  if (compute.probe && !ctx.probes.has(compute.probe))
    at([...cPath, 'probe'], `no such compute probe generators/compute-probes/${compute.probe}/`);
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

/** Where an issue goes: a path in the document and a message (atKey: point at the key, not the value). */
export type Report = (path: PathKey[], message: string, atKey?: boolean) => void;
