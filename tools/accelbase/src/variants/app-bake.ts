// From a variants file to an app bake file: one target per variant, its base overloaded either by a
// named context keyed by the original FROM reference (the Dockerfile is untouched), or, where that
// cannot work, by the rewritten Dockerfile inline (ARG BASE_IMAGE + FROM ${BASE_IMAGE}). Pure.
import { CatalogError, RewriteError } from '../errors.js';
import { issueAt } from '../catalog/yaml-doc.js';
import type { Platform } from '../catalog/grammar.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { closest, knownList, suggest } from '../lib/suggest.js';
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

/** The catalog image a base names: `opencl-pocl`, or `<namespace>/opencl-pocl[:tag]` in the catalog's namespace. */
export function catalogImageFor(base: string, plan: Plan, catalogNamespace: string): PlannedImage | undefined {
  const byName = (n: string) => plan.images.find((i) => i.name === n);
  if (!base.includes('/')) return byName(base.split(':')[0]);
  const prefix = `${catalogNamespace}/`;
  if (!base.startsWith(prefix)) return undefined;
  const [project, tag = 'latest'] = base.slice(prefix.length).split(':');
  const candidates = plan.images.filter((i) => i.project === project);
  return candidates.find((i) => i.tags.includes(tag)) ?? (project === 'minideb' ? undefined : candidates[0]);
}

export interface ResolveOptions {
  plan: Plan;
  catalogNamespace: string;
  /** Platforms of a base outside the catalog (read from its registry); undefined when unknown. */
  externalPlatforms: (ref: string) => Promise<Platform[] | undefined>;
  /** A digest already pushed for a catalog image: build against it instead of rebuilding the chain. */
  publishedRef: (image: PlannedImage) => string | undefined;
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
    const catalogImage = base === undefined ? undefined : catalogImageFor(base, o.plan, o.catalogNamespace);
    const basePath = v.base === undefined ? v.path : [...v.path, 'base'];
    let available: Platform[] | undefined;
    let baseSource: string | undefined;
    if (catalogImage) {
      available = catalogImage.platforms;
      const published = o.publishedRef(catalogImage);
      baseSource = published ? `docker-image://${published}` : `target:${catalogImage.name}`;
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
