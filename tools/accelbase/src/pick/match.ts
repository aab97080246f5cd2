// How far an image is from a query: the filters it fails and why, and the message when no image matches.
import { archOf, archesOf } from '../catalog/platform.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { tagVersion } from '../plan/tags.js';
import { findPackage } from './contents.js';
import type { NormalQuery, RuntimeFilter } from './query.js';
import { describePackage, formatVersions, versionSatisfies, type PackageVersions } from './versions.js';

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

/** The `--runtime` filter for one image: the package it matched, or why it fails. */
function runtimeFailure(
  plan: Plan,
  img: PlannedImage,
  runtime: RuntimeFilter,
  arch: string[],
): { failure?: Failure; matched?: PackageVersions } {
  const pkg = findPackage(plan, img, runtime.name);
  if (!pkg)
    return {
      failure: { filter: 'runtime', identity: true, weight: 2, value: 'none', reason: `has no ${runtime.name}` },
    };
  const range = runtime.range;
  // With --arch, the versions on those platforms are the ones that count.
  const considered = Object.entries(pkg.versions).filter(([p]) => arch.length === 0 || arch.includes(archOf(p)));
  if (!range || considered.some(([, v]) => versionSatisfies(v, range))) return { matched: pkg };
  const reason =
    Object.keys(pkg.versions).length === 0
      ? `has ${pkg.name} not locked yet (run \`accelbase update\`)`
      : `has ${describePackage(pkg)}`;
  const value = [...new Set(Object.values(pkg.versions).map((v) => tagVersion(v) ?? v))].join(', ') || 'not locked';
  return { failure: { filter: 'runtime', identity: false, weight: 1, value, reason }, matched: pkg };
}

/** Every filter the image fails; none means it matches. */
export function failuresOf(
  plan: Plan,
  img: PlannedImage,
  q: NormalQuery,
): { failures: Failure[]; matched?: PackageVersions } {
  const failures: Failure[] = [];
  if (q.accelerator && img.accelerator !== q.accelerator)
    failures.push({
      filter: 'accelerator',
      identity: true,
      weight: 1,
      value: img.accelerator ?? '',
      reason: `is accelerator ${img.accelerator}`,
    });
  if (q.variant && img.variant !== q.variant)
    failures.push({
      filter: 'variant',
      identity: true,
      weight: 1,
      value: img.variant ?? '',
      reason: `is variant ${img.variant}`,
    });
  const arches = archesOf(img.platforms);
  const missingArch = q.arch.filter((a) => !arches.includes(a));
  if (missingArch.length)
    failures.push({
      filter: 'arch',
      identity: false,
      weight: 1,
      value: arches.join(', '),
      reason: `is ${arches.join(', ')} only`,
    });
  if (q.dist && img.dist !== q.dist)
    failures.push({ filter: 'dist', identity: false, weight: 1, value: img.dist, reason: `is ${img.dist} only` });
  if (!q.runtime) return { failures };
  const { failure, matched } = runtimeFailure(plan, img, q.runtime, q.arch);
  if (failure) failures.push(failure);
  return { failures, matched };
}

const listOf = (items: string[], max = 6, sep = ', ') =>
  items.length > max ? `${items.slice(0, max).join(sep)}${sep}and ${items.length - max} more` : items.join(sep);

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
export function noMatch(plan: Plan, q: NormalQuery, scored: { img: PlannedImage; failures: Failure[] }[]): string {
  if (scored.length === 0) return 'the catalog has no accelerator images';
  const distance = (fs: Failure[]) => fs.reduce((n, f) => n + f.weight, 0);
  const fewest = Math.min(...scored.map((s) => distance(s.failures)));
  const nearest = scored
    .filter((s) => distance(s.failures) === fewest)
    .sort((a, b) => a.img.name.localeCompare(b.img.name));
  const explained = nearest.filter((s) => s.failures.every((f) => !f.identity));
  const closest = nearest.filter((s) => s.failures.some((f) => f.identity));
  const parts = [describeQuery(q)];
  const only = explained[0]?.failures.length === 1 ? explained[0].failures[0].filter : undefined;
  if (explained.length > 3 && explained.every((s) => s.failures.length === 1 && s.failures[0].filter === only)) {
    // Many images missing for the same reason: say what exists instead of naming each one.
    const values = [...new Set(explained.map((s) => s.failures[0].value))].sort();
    parts.push(
      only === 'dist'
        ? `images are built on ${values.join(', ')}`
        : only === 'arch'
          ? `images are built for ${values.join(' or ')}`
          : `${q.runtime?.name} is ${values.join(', ')}`,
    );
  } else if (explained.length) {
    parts.push(
      listOf(
        explained.map((s) => `${s.img.name} ${s.failures.map((f) => f.reason).join(' and ')}`),
        5,
        '; ',
      ),
    );
  }
  if (closest.length)
    parts.push(
      `closest: ${listOf(
        closest.map((s) => annotate(plan, s.img, q)),
        5,
      )}`,
    );
  return parts.join('; ');
}
