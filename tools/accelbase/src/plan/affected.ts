// Which images a change touches: those whose rendered folder (images/<project>/) changed, those whose
// planned model (catalog entry and lock) changed, rendered or not, and every image built on them. Pure.
import type { Platform } from '../catalog/grammar.js';
import type { Plan } from './plan.js';

/**
 * Why an image is affected: its rendered files changed, its catalog entry or lock changed, an image
 * it is built on is affected, or it shares its rendered folder (its Nx project) with an affected one.
 */
export type AffectedReason = 'rendered' | 'catalog' | 'base' | 'project';

export interface AffectedImage {
  name: string;
  project: string;
  why: AffectedReason[];
}

/** The projects holding a changed file under images/<project>/. */
export const renderedProjects = (changedFiles: string[]): Set<string> =>
  new Set(changedFiles.map((f) => /^images\/([^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p));

/**
 * The images of `after` whose planned model differs from `before`'s (new ones included): what a
 * catalog or lock edit changes, whether or not images/ was rendered again. `before` undefined: no
 * catalog there, every image is new.
 */
export function changedModels(before: Plan | undefined, after: Plan): Set<string> {
  const was = new Map((before?.images ?? []).map((i) => [i.name, JSON.stringify(i)]));
  return new Set(after.images.filter((i) => was.get(i.name) !== JSON.stringify(i)).map((i) => i.name));
}

const REASONS: AffectedReason[] = ['rendered', 'catalog', 'base', 'project'];

/**
 * Images in a project with a changed rendered file or with a changed model, then every image built on
 * them or sharing their project, as Nx's project graph has it; in build order.
 */
export function affectedImages(
  plan: Plan,
  rendered: ReadonlySet<string>,
  catalog: ReadonlySet<string> = new Set(),
): AffectedImage[] {
  const why = new Map<string, Set<AffectedReason>>(plan.images.map((i) => [i.name, new Set()]));
  const affected = (name: string) => why.get(name)!.size > 0;
  for (const image of plan.images) {
    if (rendered.has(image.project)) why.get(image.name)!.add('rendered');
    if (catalog.has(image.name)) why.get(image.name)!.add('catalog');
  }
  // Until nothing moves: dependants follow their base, and a project's images go together.
  for (let moved = true; moved; ) {
    moved = false;
    for (const image of plan.images) {
      const reasons = why.get(image.name)!;
      const before = reasons.size;
      if (image.base && affected(image.base.name)) reasons.add('base');
      if (!affected(image.name) && plan.images.some((o) => o.project === image.project && affected(o.name)))
        reasons.add('project');
      moved ||= reasons.size !== before;
    }
  }
  return plan.images
    .filter((i) => affected(i.name))
    .map((i) => ({ name: i.name, project: i.project, why: REASONS.filter((r) => why.get(i.name)!.has(r)) }));
}

/** The projects of `images`, once each, in their order. */
export const projectsOf = (images: readonly AffectedImage[]): string[] => [...new Set(images.map((i) => i.project))];

/** A package as an image.json records it: its source, the catalog's range, and the version locked per platform. */
export interface PackageState {
  source: string;
  constraint?: string;
  locked: Partial<Record<Platform, string>>;
}

interface ImageJsonPackages {
  images: { name: string; packages: (PackageState & { name: string })[] }[];
}

/** One package of one image, added, removed or changed (version, range or source) between two renders. */
export interface PackageDiff {
  image: string;
  package: string;
  change: 'added' | 'removed' | 'changed';
  before?: PackageState;
  after?: PackageState;
}

/** The versions a package is locked to, as a reviewer reads them: `1.2|1.3`, else its range, else `unlocked`. */
export const shownVersion = (p: PackageState): string =>
  [...new Set(Object.values(p.locked))].join('|') || p.constraint || 'unlocked';

const state = ({ source, constraint, locked }: PackageState): PackageState => ({
  source,
  ...(constraint ? { constraint } : {}),
  locked,
});

/** What changed in an image's resolved packages between two image.json files. */
export function packageChanges(
  before: ImageJsonPackages | undefined,
  after: ImageJsonPackages | undefined,
): PackageDiff[] {
  const out: PackageDiff[] = [];
  const images = new Set([...(before?.images ?? []), ...(after?.images ?? [])].map((i) => i.name));
  for (const image of images) {
    const old = new Map((before?.images.find((i) => i.name === image)?.packages ?? []).map((p) => [p.name, p]));
    const now = new Map((after?.images.find((i) => i.name === image)?.packages ?? []).map((p) => [p.name, p]));
    for (const [pkg, p] of now) {
      const o = old.get(pkg);
      if (!o) out.push({ image, package: pkg, change: 'added', after: state(p) });
      else if (shownVersion(o) !== shownVersion(p) || o.source !== p.source)
        out.push({ image, package: pkg, change: 'changed', before: state(o), after: state(p) });
    }
    for (const [pkg, o] of old)
      if (!now.has(pkg)) out.push({ image, package: pkg, change: 'removed', before: state(o) });
  }
  return out;
}

/** One line per change, for a reviewer: `img: + pkg 1.2 (debian)`, `img: pkg 1.2 -> 1.3`, `img: - pkg 1.2`. */
export function formatPackageDiff(d: PackageDiff): string {
  const { before: o, after: p } = d;
  if (d.change === 'added') return `${d.image}: + ${d.package} ${shownVersion(p!)} (${p!.source})`;
  if (d.change === 'removed') return `${d.image}: - ${d.package} ${shownVersion(o!)}`;
  return `${d.image}: ${d.package} ${shownVersion(o!)} -> ${shownVersion(p!)}${o!.source !== p!.source ? ` (${o!.source} -> ${p!.source})` : ''}`;
}
