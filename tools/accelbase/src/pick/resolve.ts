// `IMAGE[:TAG]` as `accelbase show` and `k8s` take it: a catalog name, a project, or a repository in
// the plan's (or the catalog's) namespace, with or without a tag.
import type { Model } from '../catalog/model.js';
import { closest, suggest } from '../lib/suggest.js';
import { UserError } from '../errors.js';
import { namespaceOf, shortName, splitTag } from '../oci/reference.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { datedTagBase, isBuildTagOf, mostSpecificTag, shaTag } from '../plan/tags.js';

/** `opencl-pocl`, `acceleratorbase/opencl-pocl:6.0-trixie`, `minideb:bullseye` -> the image and tag. */
/** The candidate a build tag names: `sha-<rev>` (`sha-<rev>-<dist>` for minideb), `<version>-<dist>-<YYYYMMDD>`. */
function byBuildTag(candidates: PlannedImage[], tag: string): PlannedImage | undefined {
  const revision = /^sha-([0-9a-f]{7})(?:-[a-z]+)?$/.exec(tag)?.[1];
  if (revision) return candidates.find((i) => shaTag(i, revision) === tag);
  return candidates.find((i) => isBuildTagOf(tag, datedTagBase(i)));
}

/** `o.buildTags`: a build tag is a tag too (verify reads what `build` pushed). */
export function resolveImage(
  plan: Plan,
  model: { catalog: { registry: Pick<Model['catalog']['registry'], 'namespace'> } },
  ref: string,
  o: { buildTags?: boolean } = {},
): { image: PlannedImage; tag: string } {
  if (!ref) throw new UserError('expected an image, like opencl-pocl or acceleratorbase/opencl-pocl:6.0-trixie', 2);
  if (ref.includes('@')) throw new UserError(`${ref}: give a tag, not a digest`);
  const { repository, tag } = splitTag(ref);
  const namespace = repository.includes('/') ? namespaceOf(repository) : undefined;
  const short = shortName(repository);
  const namespaces = [...new Set([plan.namespace, model.catalog.registry.namespace])];
  if (namespace !== undefined && !namespaces.includes(namespace)) {
    throw new UserError(
      `${ref}: not an image of ${namespaces.join(' or ')} (use a catalog name like ${short}, or --registry ${namespace})`,
    );
  }
  const byName = plan.images.filter((i) => i.name === short);
  const candidates = byName.length ? byName : plan.images.filter((i) => i.project === short);
  if (candidates.length === 0) {
    const known = [...new Set(plan.images.flatMap((i) => [i.name, i.project]))];
    throw new UserError(
      `unknown image "${short}"${suggest(short, known)} (known: ${plan.images.map((i) => i.name).join(', ')})`,
      1,
      closest(short, known),
    );
  }
  if (tag === undefined) {
    // A project built on several distributions (minideb) answers with the one tagged latest.
    const image = candidates.length === 1 ? candidates[0] : candidates.find((i) => i.tags.includes('latest'));
    if (!image)
      throw new UserError(`${ref} is ${candidates.map((i) => `${i.repository}:${i.dist}`).join(', ')}: name a tag`);
    return { image, tag: mostSpecificTag(image) };
  }
  const image = candidates.find((i) => i.tags.includes(tag)) ?? (o.buildTags ? byBuildTag(candidates, tag) : undefined);
  if (!image) {
    const tags = candidates.flatMap((i) => i.tags);
    throw new UserError(
      `${short} has no tag "${tag}"${suggest(tag, tags)} (tags: ${[...new Set(tags)].join(', ')})`,
      1,
      closest(tag, tags),
    );
  }
  return { image, tag };
}
