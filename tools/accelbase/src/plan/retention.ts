// What `accelbase prune` deletes from a registry, and why everything else stays. Pure: the registry's
// tags, manifests and referrers come in as data (workflows/prune.ts reads them), the verdicts go out.
//
// A tag is one of: a dated build tag (`<version>-<dist>-<YYYYMMDD>`, `<dist>-<YYYYMMDD>`), a revision
// tag (`sha-<rev>`, `sha-<rev>-<dist>`), a referrers tag (`sha256-<hex>`: the index of a subject's
// SBOMs, sbom/attach.ts), buildx's registry cache (`cache-amd64`, docker/bake.ts cacheTag), or
// floating (every other tag: `latest`, `trixie`, `6.0-trixie`, ...). Cache tags are kept like floating ones.
// A digest stays when a floating tag, the lock, a retired release or one of the N newest build tags
// of its image names it; a registry deletes a manifest with every tag naming it, so a revision or
// older build tag on a kept digest stays too. With a deleted image index go its platform manifests
// (unless a kept index also lists them) and the SBOM artifacts and referrers tags of both.

import type { Lock } from '../catalog/lock.js';
import { ownValue } from '../lib/own.js';
import type { Plan } from './plan.js';

export type TagRole = 'build' | 'revision' | 'referrers' | 'cache' | 'floating';

const BUILD_TAG = /^(.+)-([0-9]{8})$/;
const REVISION_TAG = /^sha-[0-9a-f]{7,64}(?:-(.+))?$/;
const REFERRERS_TAG = /^sha256-([0-9a-f]{64})$/;
const CACHE_TAG = /^cache-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function tagRole(tag: string): TagRole {
  if (REFERRERS_TAG.test(tag)) return 'referrers';
  if (REVISION_TAG.test(tag)) return 'revision';
  if (BUILD_TAG.test(tag)) return 'build';
  if (CACHE_TAG.test(tag)) return 'cache';
  return 'floating';
}

/** The subject digest a referrers tag (`sha256-<hex>`) holds the referrers of. */
export const referrersSubject = (tag: string): string | undefined => {
  const hex = REFERRERS_TAG.exec(tag)?.[1];
  return hex ? `sha256:${hex}` : undefined;
};

/** What the registry serves in one repository. */
export interface RepositoryContents {
  repository: string;
  /** Every tag and the digest it names. */
  tags: Record<string, string>;
  /** An index's platform manifests (digest -> the digests it lists); absent for a single manifest. */
  children: Record<string, readonly string[]>;
  /** A subject's referrers (SBOM artifacts), from the referrers API or its referrers tag. */
  referrers: Record<string, readonly string[]>;
  /** Subjects of referrers tags that the registry answered 404 for: their SBOMs are left over. */
  absentSubjects?: readonly string[];
}

/** What the catalog and the lock say about one image. */
export interface RetainedImage {
  name: string;
  repository: string;
  dist: string;
  /** Its floating tags as the plan derives them (every other non-build tag counts as floating too). */
  floating: readonly string[];
  /** On a retired release: every digest any of its tags names stays pullable. */
  retired: boolean;
  /** The digests the lock records as published for it (`images.<name>.platforms.*.digest`). */
  lockDigests: readonly string[];
}

export type DigestRole = 'image' | 'platform' | 'referrer' | 'referrers-index';

export interface TagVerdict {
  tag: string;
  digest: string;
  role: TagRole;
  /** The image it is counted for (build and revision tags), when one matches. */
  image?: string;
  /** Why this tag keeps its digest; absent when it does not (it goes, unless its digest stays anyway). */
  keeps?: string;
  /** Whether the tag is still served afterwards (its digest stays). */
  stays: boolean;
}

export interface DigestVerdict {
  digest: string;
  role: DigestRole;
  /** Why it stays; empty when it is deleted. */
  keptBy: string[];
  deleted: boolean;
  /** The tags naming it. */
  tags: string[];
  /** For a platform manifest or a referrer: the digest it belongs to. */
  of?: string;
}

export interface RepositoryRetention {
  repository: string;
  images: string[];
  tags: TagVerdict[];
  digests: DigestVerdict[];
  /** What to DELETE, in an order that never leaves a served tag broken: images, platforms, referrers. */
  deletions: string[];
}

/** The image a build or revision tag belongs to: the one whose distribution it names, or the repository's only one. */
function ownerOf(tag: string, role: TagRole, images: readonly RetainedImage[]): RetainedImage | undefined {
  if (role === 'build') {
    const stem = BUILD_TAG.exec(tag)![1];
    const byDist = images.filter((i) => stem === i.dist || stem.endsWith(`-${i.dist}`));
    if (byDist.length === 1) return byDist[0];
  }
  if (role === 'revision') {
    const dist = REVISION_TAG.exec(tag)![1];
    if (dist) return images.find((i) => i.dist === dist);
  }
  return images.length === 1 ? images[0] : undefined;
}

/** The `keep` newest build tags of each image (by the date in the tag; the tag name breaks ties). */
function newestBuildTags(tags: readonly TagVerdict[], keep: number): Set<string> {
  const groups = new Map<string, TagVerdict[]>();
  for (const t of tags) {
    if (t.role !== 'build') continue;
    // A build tag no image claims is counted with the others of its stem (`6.0-trixie`).
    const key = t.image ?? `?${BUILD_TAG.exec(t.tag)![1]}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const newest = new Set<string>();
  for (const group of groups.values()) {
    const dated = group
      .map((t) => ({ t, date: BUILD_TAG.exec(t.tag)![2] }))
      .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.t.tag < b.t.tag ? 1 : -1));
    for (const { t } of dated.slice(0, keep)) newest.add(t.tag);
  }
  return newest;
}

function keepReason(
  t: TagVerdict,
  owner: RetainedImage | undefined,
  newest: Set<string>,
  keep: number,
): string | undefined {
  if (t.role === 'floating') return owner ? `floating tag of ${owner.name}` : 'floating tag';
  if (t.role === 'cache') return 'build cache';
  if (owner?.retired) return `${owner.name} is on a retired release`;
  if (t.role === 'build' && newest.has(t.tag))
    return `one of the ${keep} newest build tags${owner ? ` of ${owner.name}` : ''}`;
  return undefined;
}

/** One repository's verdicts; `keep` is the catalog's `registry.retention.buildTags`. */
export function planRepositoryRetention(
  contents: RepositoryContents,
  images: readonly RetainedImage[],
  keep: number,
): RepositoryRetention {
  const mine = images.filter((i) => i.repository === contents.repository);
  const tags: TagVerdict[] = Object.entries(contents.tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([tag, digest]) => {
      const role = tagRole(tag);
      const owner = role === 'build' || role === 'revision' ? ownerOf(tag, role, mine) : undefined;
      return { tag, digest, role, image: owner?.name, stays: false };
    });
  const newest = newestBuildTags(tags, keep);
  const byName = new Map(mine.map((i) => [i.name, i]));
  for (const t of tags) {
    if (t.role === 'referrers') continue;
    const owner =
      t.role === 'floating'
        ? (mine.find((i) => i.floating.includes(t.tag)) ?? (mine.length === 1 ? mine[0] : undefined))
        : t.image
          ? byName.get(t.image)
          : undefined;
    t.keeps = keepReason(t, owner, newest, keep);
  }

  // Image digests: whatever a tag other than a referrers tag names.
  const keptBy = new Map<string, string[]>();
  const add = (digest: string, why: string) => keptBy.set(digest, [...(keptBy.get(digest) ?? []), why]);
  const imageDigests = new Set(tags.filter((t) => t.role !== 'referrers').map((t) => t.digest));
  for (const d of imageDigests) keptBy.set(d, []);
  for (const t of tags) if (t.keeps && imageDigests.has(t.digest)) add(t.digest, `${t.tag}: ${t.keeps}`);
  for (const image of mine)
    for (const d of image.lockDigests) if (imageDigests.has(d)) add(d, `the lock's published digest of ${image.name}`);

  const verdicts = new Map<string, DigestVerdict>();
  const verdict = (digest: string, role: DigestRole, of?: string): DigestVerdict => {
    const existing = verdicts.get(digest);
    if (existing) return existing;
    const v: DigestVerdict = { digest, role, keptBy: [], deleted: false, tags: [], ...(of ? { of } : {}) };
    verdicts.set(digest, v);
    return v;
  };
  for (const d of [...imageDigests].sort()) {
    const v = verdict(d, 'image');
    v.keptBy = keptBy.get(d) ?? [];
    v.deleted = v.keptBy.length === 0;
  }
  // Platform manifests: kept while any kept index lists them.
  for (const d of imageDigests) {
    for (const child of contents.children[d] ?? []) {
      if (imageDigests.has(child)) continue;
      const v = verdict(child, 'platform', d);
      if (!verdicts.get(d)!.deleted) v.keptBy.push(`a platform of kept ${d}`);
    }
  }
  for (const v of verdicts.values()) if (v.role === 'platform') v.deleted = v.keptBy.length === 0;

  // Referrers (SBOMs) of each image and platform digest follow their subject; so does its referrers tag.
  const subjectDeleted = (subject: string): boolean => {
    const v = verdicts.get(subject);
    return v ? v.deleted : (contents.absentSubjects ?? []).includes(subject);
  };
  const subjects = new Set([
    ...verdicts.keys(),
    ...tags.flatMap((t) => (t.role === 'referrers' ? [referrersSubject(t.tag)!] : [])),
  ]);
  for (const subject of [...subjects].sort()) {
    const gone = subjectDeleted(subject);
    for (const artifact of contents.referrers[subject] ?? []) {
      if (verdicts.has(artifact) && verdicts.get(artifact)!.role !== 'referrer') continue;
      const v = verdict(artifact, 'referrer', subject);
      if (!gone) v.keptBy.push(`an SBOM of kept ${subject}`);
    }
  }
  for (const t of tags) {
    if (t.role !== 'referrers') continue;
    const subject = referrersSubject(t.tag)!;
    const v = verdict(t.digest, 'referrers-index', subject);
    if (!subjectDeleted(subject)) v.keptBy.push(`the referrers of kept ${subject}`);
  }
  for (const v of verdicts.values())
    if (v.role === 'referrer' || v.role === 'referrers-index') v.deleted = v.keptBy.length === 0;

  for (const t of tags) {
    const v = verdicts.get(t.digest)!;
    v.tags.push(t.tag);
    t.stays = !v.deleted;
  }
  const digests = [...verdicts.values()];
  const order: DigestRole[] = ['image', 'platform', 'referrers-index', 'referrer'];
  const deletions = order.flatMap((role) => digests.filter((d) => d.deleted && d.role === role).map((d) => d.digest));
  return { repository: contents.repository, images: mine.map((i) => i.name), tags, digests, deletions };
}

/** Every repository's verdicts. */
export const planRetention = (
  repositories: readonly RepositoryContents[],
  images: readonly RetainedImage[],
  keep: number,
): RepositoryRetention[] => repositories.map((r) => planRepositoryRetention(r, images, keep));

/** What the plan and the lock say about each image, for the retention rules. */
export const retainedImages = (plan: Plan, lock: Lock): RetainedImage[] =>
  plan.images.map((image) => ({
    name: image.name,
    repository: image.repository,
    dist: image.dist,
    floating: image.tags,
    retired: image.support.retired,
    lockDigests: [
      ...new Set(
        Object.values(ownValue(lock.images, image.name)?.platforms ?? {}).flatMap((p) => (p?.digest ? [p.digest] : [])),
      ),
    ],
  }));
