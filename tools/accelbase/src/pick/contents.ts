// What an image contains: its packages and those of its bases, with their locked versions.
import type { Platform } from '../catalog/grammar.js';
import type { Model } from '../catalog/model.js';
import { baseChain, type Plan, type PlannedImage } from '../plan/plan.js';
import type { PackageVersions, Versions } from './versions.js';

// A base may be built for more platforms than the image: only the image's own count.
const restrict = (locked: Versions, platforms: readonly Platform[]): Versions =>
  Object.fromEntries(platforms.flatMap((p) => (locked[p] ? [[p, locked[p]]] : [])));

/** A package of the image or, failing that, of the nearest base that installs it. */
export function findPackage(plan: Plan, image: PlannedImage, name: string): PackageVersions | null {
  for (const img of baseChain(plan, image)) {
    const pkg = img.packages.find((p) => p.name === name);
    if (pkg)
      return { name, versions: restrict(pkg.locked, image.platforms), ...(img === image ? {} : { from: img.name }) };
  }
  return null;
}

/** The package each image's version (and tags) comes from: catalog `runtime:`. */
export function runtimeNames(model: Pick<Model, 'images'>): Map<string, string> {
  return new Map([...model.images.values()].flatMap((s) => (s.runtime ? [[s.name, s.runtime] as const] : [])));
}

/** The image's runtime package, when the catalog names one. */
export function runtimeOf(plan: Plan, runtimes: Map<string, string>, image: PlannedImage): PackageVersions | null {
  const runtime = runtimes.get(image.name);
  return runtime ? findPackage(plan, image, runtime) : null;
}
