// Locked package versions as `accelbase tags` and `show` read them: matched against ranges, ordered, printed.
import semver from 'semver';
import type { Platform } from '../catalog/grammar.js';
import { archOf } from '../catalog/platform.js';
import { debUpstreamSemver } from '../versioning/debian.js';

export type Versions = Partial<Record<Platform, string>>;

export interface PackageVersions {
  name: string;
  /** Locked version per platform; empty until `accelbase update` resolved it. */
  versions: Versions;
  /** The image it comes from, when inherited from a base. */
  from?: string;
}

/** Does a locked version's upstream part satisfy a semver range, as `update` matches catalog ranges? */
export function versionSatisfies(version: string, range: string): boolean {
  const v = debUpstreamSemver(version);
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

/** `6.0-6`, or `amd64=6.0-6 arm64=6.0-7` when platforms differ, or `(not locked yet)`. */
export function formatVersions(versions: Versions): string {
  const entries = Object.entries(versions) as [Platform, string][];
  if (entries.length === 0) return '(not locked yet)';
  const distinct = new Set(entries.map(([, v]) => v));
  if (distinct.size === 1) return entries[0][1];
  return entries.map(([p, v]) => `${archOf(p)}=${v}`).join(' ');
}

/** `libcudart12 12.4.127~12.4.1-2 (from cuda-runtime)`. */
export const describePackage = (pkg: PackageVersions): string =>
  `${pkg.name} ${formatVersions(pkg.versions)}${pkg.from ? ` (from ${pkg.from})` : ''}`;
