// The filters of `accelbase tags`, read and checked against what the catalog has.
import semver from 'semver';
import type { Model } from '../catalog/model.js';
import { archesOf } from '../catalog/platform.js';
import { closest, suggest } from '../lib/suggest.js';
import { UserError } from '../errors.js';
import { baseChain, type Plan, type PlannedImage } from '../plan/plan.js';
import { ownValue } from '../lib/own.js';

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

/** A TagQuery checked: empty filters dropped, arches normalized, `--runtime` parsed. */
export interface NormalQuery {
  accelerator?: string;
  variant?: string;
  arch: string[];
  dist?: string;
  runtime?: RuntimeFilter;
}

const ARCH_ALIASES: Record<string, string> = { aarch64: 'arm64', x86_64: 'amd64', x64: 'amd64' };

/** `linux/arm64`, `arm64`, `aarch64` -> `arm64`. */
export function normalizeArch(arch: string): string {
  const a = arch
    .trim()
    .toLowerCase()
    .replace(/^linux\//, '');
  return ownValue(ARCH_ALIASES, a) ?? a;
}

/** `--runtime pocl-opencl-icd@^6` -> name and range; a scoped npm name keeps its leading `@`. */
export function parseRuntime(spec: string): RuntimeFilter {
  const at = spec.lastIndexOf('@');
  const name = (at > 0 ? spec.slice(0, at) : spec).trim();
  const range = at > 0 ? spec.slice(at + 1).trim() : undefined;
  if (!name || (name.startsWith('@') && !name.includes('/')))
    throw new UserError(`--runtime "${spec}": expected <package>@<semver range>, e.g. pocl-opencl-icd@^6`);
  if (range === undefined) return { name };
  if (!range || semver.validRange(range) === null) {
    throw new UserError(`--runtime "${spec}": "${range}" is not a semver range (e.g. ^6, >=1.20 <2, 12.4.x)`);
  }
  return { name, range };
}

function checkKnown(what: string, value: string | undefined, known: string[]): void {
  if (value === undefined || known.includes(value)) return;
  throw new UserError(
    `unknown ${what} "${value}"${suggest(value, known)} (known: ${known.join(', ')})`,
    1,
    closest(value, known),
  );
}

/** The query, normalized; a UserError for a value no image has (a typo, most likely), with suggestions. */
export function normalizeQuery(
  plan: Plan,
  model: Pick<Model, 'catalog'>,
  runtimes: Map<string, string>,
  images: PlannedImage[],
  query: TagQuery,
): NormalQuery {
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
      throw new UserError(
        `no image has package "${q.runtime.name}"${suggest(q.runtime.name, names)} (runtime packages: ${uniq(images.map((i) => runtimes.get(i.name))).join(', ')})`,
      );
    }
  }
  return q;
}
