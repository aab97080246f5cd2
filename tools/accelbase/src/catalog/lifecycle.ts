// Debian releases have a life: each image's support end, from the dates `update` locked out of
// distro-info-data (never typed into the catalog), and what validate, plan and build say about it.
// Pure: catalog, lock and today's date in; facts and positioned issues out.
import type { CatalogIssue } from '../errors.js';
import { ownValue } from '../lib/own.js';
import type { Lock } from './lock.js';
import type { ImageSpec, Model } from './model.js';
import { issueAt, type PathKey, type YamlDoc } from './yaml-doc.js';

/** Days before the security-support end from which an image on that release is a warning. */
export const SUPPORT_WARNING_DAYS = 90;

export type SupportState = 'supported' | 'ending' | 'ended' | 'retired' | 'unknown';

export interface ReleaseSupport {
  dist: string;
  /** Debian's release number (`11`). */
  version: string;
  state: SupportState;
  /** The end of security support (LTS included), as locked; undefined when the lock has none. */
  securityEnd?: string;
  /** The end of Debian's regular security support (before LTS). */
  regularSecurityEnd?: string;
  /** Marked retired in the catalog. */
  retired: boolean;
  /** Whole days from today to securityEnd (negative once past); undefined without a date. */
  daysLeft?: number;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export function releaseSupport(model: Model, lock: Lock, dist: string, today: string): ReleaseSupport {
  const declared = ownValue(model.catalog.distributions, dist);
  const dates = lock.distributions ? ownValue(lock.distributions, dist) : undefined;
  const retired = declared?.retired ?? false;
  const securityEnd = dates?.securityEnd;
  const daysLeft = securityEnd ? daysBetween(today, securityEnd) : undefined;
  const state: SupportState = retired
    ? 'retired'
    : daysLeft === undefined
      ? 'unknown'
      : daysLeft < 0
        ? 'ended'
        : daysLeft <= SUPPORT_WARNING_DAYS
          ? 'ending'
          : 'supported';
  return {
    dist,
    version: declared?.version ?? '',
    state,
    securityEnd,
    regularSecurityEnd: dates?.regularSecurityEnd,
    retired,
    daysLeft,
  };
}

/** Is this image on a retired release (no rootfs, no build, no nightly, tags kept as they are)? */
export const isRetired = (model: Model, spec: ImageSpec): boolean =>
  ownValue(model.catalog.distributions, spec.dist)?.retired === true;

/** Where an image's release is named: minideb's distributions entry, or the variant's declaration. */
function imagePosition(model: Model, spec: ImageSpec): { path: PathKey[]; atKey: boolean } {
  if (spec.kind === 'minideb') {
    const i = model.catalog.minideb.distributions.indexOf(spec.dist);
    return { path: ['minideb', 'distributions', i], atKey: false };
  }
  return { path: spec.path, atKey: true };
}

const releaseName = (s: ReleaseSupport) => `Debian ${s.version} (${s.dist})`;

export interface LifecycleIssues {
  errors: CatalogIssue[];
  warnings: CatalogIssue[];
}

/**
 * An image on a release past its security-support end is an error; within SUPPORT_WARNING_DAYS of
 * it, a warning. Retired releases are neither: retiring is the answer to both.
 */
export function lifecycleIssues(y: YamlDoc, model: Model, lock: Lock, today: string): LifecycleIssues {
  const errors: CatalogIssue[] = [];
  const warnings: CatalogIssue[] = [];
  const fallback = model.catalog.defaultDistribution;
  if (ownValue(model.catalog.distributions, fallback)?.retired)
    errors.push(
      issueAt(
        y,
        ['defaultDistribution'],
        `the default distribution "${fallback}" is retired: make a supported release the default`,
      ),
    );
  for (const spec of model.images.values()) {
    const s = releaseSupport(model, lock, spec.dist, today);
    if (s.state !== 'ended' && s.state !== 'ending') continue;
    const { path, atKey } = imagePosition(model, spec);
    const move = spec.dist === fallback ? 'a supported release' : fallback;
    if (s.state === 'ended')
      errors.push(
        issueAt(
          y,
          path,
          `${spec.name} is on ${releaseName(s)}, whose security support ended ${s.securityEnd} (distro-info-data): move it to ${move}, or retire the release (distributions.${s.dist}.retired: true) to stop building it`,
          atKey,
        ),
      );
    else
      warnings.push(
        issueAt(
          y,
          path,
          `${spec.name} is on ${releaseName(s)}, whose security support ends ${s.securityEnd} (in ${s.daysLeft} days): plan its move to ${move}`,
          atKey,
        ),
      );
  }
  return { errors, warnings };
}
