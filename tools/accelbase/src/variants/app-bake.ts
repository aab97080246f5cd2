// From a variants file to an app bake file: one target per variant, its base overloaded either by a
// named context keyed by the original FROM reference (the Dockerfile is untouched), or, where that
// cannot work, by the rewritten Dockerfile inline (ARG BASE_IMAGE + FROM ${BASE_IMAGE}). Pure.
import { CatalogError, RewriteError, UserError } from '../errors.js';
import { issueAt } from '../catalog/yaml-doc.js';
import type { Platform } from '../catalog/grammar.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { closest, knownList, suggest } from '../lib/suggest.js';
import { namespaceOf, splitTag } from '../oci/reference.js';
import { resolveImage } from '../pick/resolve.js';
import { overloadContexts } from './contexts.js';
import { rewriteFrom } from './rewrite-from.js';
import type { VariantsFile } from './file.js';

export interface ResolvedVariant {
  target: string;
  image: string;
  tag: string;
  /** The catalog image this variant builds on, if any. */
  catalogImage?: PlannedImage;
  /** What the base resolves to: `target:<catalog target>` or `docker-image://<ref>`; absent: the Dockerfile's own FROM as it is. */
  baseSource?: string;
  platforms: Platform[];
}

/** A base that names a catalog image, with the tag (or digest) it asked for. */
export interface CatalogBase {
  image: PlannedImage;
  /** The tag asked for, or the image's most specific one when none was. */
  tag: string;
  /** `sha256:...` when the base was given by digest: used as it is. */
  digest?: string;
}

/**
 * The catalog image a base names: `opencl-pocl`, or `<namespace>/opencl-pocl[:tag|@digest]` in the
 * catalog's (or the run's) namespace; undefined for an image outside the catalog. A tag the catalog
 * image does not have is refused with a suggestion, as `show` refuses it: `{ error }`.
 */
export function catalogBaseFor(
  base: string,
  plan: Plan,
  catalogNamespace: string,
): CatalogBase | { error: string; suggestion?: string } | undefined {
  const { repository, tag: asked, digest } = splitTag(base);
  const ref = asked ? `${repository}:${asked}` : repository;
  if (repository.includes('/')) {
    if (![catalogNamespace, plan.namespace].includes(namespaceOf(repository))) return undefined;
  } else if (!plan.images.some((i) => i.name === repository || i.project === repository)) return undefined;
  try {
    const { image, tag } = resolveImage(plan, { catalog: { registry: { namespace: catalogNamespace } } }, ref, {
      buildTags: true,
    });
    return { image, tag, ...(digest ? { digest } : {}) };
  } catch (e) {
    if (e instanceof UserError) return { error: e.message, suggestion: e.suggestion };
    throw e;
  }
}

export interface ResolveOptions {
  plan: Plan;
  catalogNamespace: string;
  /** Platforms of a base outside the catalog (read from its registry); undefined when unknown. */
  externalPlatforms: (ref: string) => Promise<Platform[] | undefined>;
  /**
   * `repository@digest` of a catalog image's tag as published: the variant builds on it instead of
   * rebuilding the chain. Undefined where it is not published (or --build-bases asked to build).
   */
  publishedRef: (image: PlannedImage, tag: string) => Promise<string | undefined>;
  /** --platform: narrow every variant to these. */
  platforms: Platform[];
  /** The chosen stage's FROM reference when it is literal: the base of a variant without `base`. */
  ownBase?: string;
}

export async function resolveVariants(vf: VariantsFile, o: ResolveOptions): Promise<ResolvedVariant[]> {
  const issues = [];
  const out: ResolvedVariant[] = [];
  for (const v of vf.variants) {
    // No base: the Dockerfile's own FROM. A catalog image there still resolves to the catalog's build
    // (keyed by that same name, so the Dockerfile is used unchanged); anything else is pulled as written.
    const base = v.base ?? o.ownBase;
    const catalogBase = base === undefined ? undefined : catalogBaseFor(base, o.plan, o.catalogNamespace);
    const basePath = v.base === undefined ? v.path : [...v.path, 'base'];
    if (catalogBase && 'error' in catalogBase) {
      issues.push(
        issueAt(vf.yaml, basePath, {
          message: `base "${base}": ${catalogBase.error}`,
          suggestion: catalogBase.suggestion,
        }),
      );
      continue;
    }
    const catalogImage = catalogBase?.image;
    let available: Platform[] | undefined;
    let baseSource: string | undefined;
    if (catalogBase) {
      available = catalogBase.image.platforms;
      const published = catalogBase.digest
        ? `${catalogBase.image.repository}@${catalogBase.digest}`
        : await o.publishedRef(catalogBase.image, catalogBase.tag);
      baseSource = published ? `docker-image://${published}` : `target:${catalogBase.image.name}`;
    } else if (v.base === undefined) {
      // `scratch` has no image to ask; listed platforms need no lookup.
      available = base === undefined || base === 'scratch' || v.platforms ? undefined : await o.externalPlatforms(base);
    } else if (!v.base.includes('/')) {
      const names = o.plan.images.map((i) => i.name);
      const suggestion = closest(v.base, names);
      issues.push(
        issueAt(vf.yaml, basePath, {
          message: `unknown base "${v.base}": not a catalog image${suggest(v.base, names)}, and not an image reference with a registry path${knownList('catalog images', names)}`,
          suggestion,
        }),
      );
      continue;
    } else {
      available = await o.externalPlatforms(v.base);
      baseSource = `docker-image://${v.base}`;
    }
    const asked = v.platforms ?? available;
    if (!asked) {
      issues.push(
        issueAt(
          vf.yaml,
          v.path,
          `platforms of base "${base ?? "the Dockerfile's own FROM"}" are unknown (its registry did not answer): list them under "platforms"`,
          true,
        ),
      );
      continue;
    }
    const missing = available ? asked.filter((p) => !available!.includes(p)) : [];
    if (missing.length) {
      issues.push(
        issueAt(
          vf.yaml,
          v.platforms ? [...v.path, 'platforms'] : basePath,
          `base "${base}" has no ${missing.join(', ')} image (it has ${available!.join(', ')})`,
        ),
      );
      continue;
    }
    const platforms = o.platforms.length ? asked.filter((p) => o.platforms.includes(p)) : asked;
    if (o.platforms.length && platforms.length === 0) {
      issues.push(
        issueAt(
          vf.yaml,
          v.path,
          `--platform ${o.platforms.join(',')}: base "${base}" variant builds only ${asked.join(', ')}`,
          true,
        ),
      );
      continue;
    }
    out.push({
      target: `${v.image
        .split('/')
        .pop()!
        .replace(/[^A-Za-z0-9_-]/g, '-')}-${v.tag.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      image: v.image,
      tag: v.tag,
      catalogImage,
      baseSource,
      platforms,
    });
  }
  if (issues.length) throw new CatalogError(issues);
  return out;
}

export interface AppBakeTarget {
  context: string;
  dockerfile?: string;
  'dockerfile-inline'?: string;
  args?: Record<string, string>;
  contexts: Record<string, string>;
  platforms: string[];
  tags: string[];
}

/**
 * The app bake file. `how` says, per target, which path was taken: "named-context" (the
 * Dockerfile is used as it is), "rewritten" (its chosen stage's FROM became ${BASE_IMAGE}) or
 * "own-from" (no base given and none to resolve: the Dockerfile as it is, nothing overloaded).
 */
export function appBake(
  dockerfileText: string,
  o: { context: string; dockerfile: string; stage?: string | number },
  variants: ResolvedVariant[],
) {
  const target: Record<string, AppBakeTarget> = {};
  const how: Record<string, 'named-context' | 'rewritten' | 'own-from'> = {};
  for (const v of variants) {
    const common = { context: o.context, platforms: v.platforms, tags: [`${v.image}:${v.tag}`] };
    if (v.baseSource === undefined) {
      target[v.target] = { ...common, dockerfile: o.dockerfile, contexts: {} };
      how[v.target] = 'own-from';
      continue;
    }
    try {
      target[v.target] = {
        ...common,
        dockerfile: o.dockerfile,
        contexts: overloadContexts(dockerfileText, v.baseSource, { stage: o.stage }),
      };
      how[v.target] = 'named-context';
    } catch (e) {
      if (!(e instanceof RewriteError)) throw e;
      // Named contexts are keyed by the literal (ARG-expanded) name and replace every use of it:
      // where that cannot single out the base, overload it through the rewritten Dockerfile.
      const rewritten = rewriteFrom(dockerfileText, { stage: o.stage });
      const ref = `accelbase-variant-base/${v.target}`;
      target[v.target] = {
        ...common,
        'dockerfile-inline': rewritten.text,
        args: { BASE_IMAGE: ref },
        contexts: { [ref]: v.baseSource },
      };
      how[v.target] = 'rewritten';
    }
  }
  return { bake: { group: { default: { targets: Object.keys(target) } }, target }, how };
}
