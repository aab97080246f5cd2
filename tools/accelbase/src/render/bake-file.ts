// docker-bake.json from the plan: one target per image, groups, base chaining through named contexts.
import type { Catalog } from '../catalog/schema.js';
import type { BakeDefinition, BakeTarget } from '../docker/bake.js';
import { imageRef, type Plan, type PlannedImage } from '../plan/plan.js';
import { ownValue } from '../lib/own.js';
import { shortName } from '../oci/reference.js';
import { rootfsDir } from '../catalog/workspace-paths.js';

export function bakeTarget(image: PlannedImage): BakeTarget {
  const repo = shortName(image.repository);
  const tags = image.tags.map((t) => `\${REGISTRY}/${repo}:${t}`);
  const labels: Record<string, string> = {
    'org.opencontainers.image.revision': '${REVISION}',
    'io.accelbase.distribution': image.dist,
    'io.accelbase.image': image.name,
    // The release's security-support end (distro-info-data, locked by `update`), for app authors and scanners.
    ...(image.support.securityEnd ? { 'io.accelbase.support-end': image.support.securityEnd } : {}),
  };
  const common = {
    platforms: image.platforms,
    tags,
    labels,
    'cache-from': [`type=registry,ref=\${REGISTRY}/${repo}:${image.tags.find((t) => t !== 'latest')}`],
  };
  if (image.kind === 'minideb') {
    const context = rootfsDir(image.dist);
    // Bake resolves a relative dockerfile against the context.
    const up = context
      .split('/')
      .map(() => '..')
      .join('/');
    return { context, dockerfile: `${up}/${image.dir}/Dockerfile`, ...common };
  }
  const base = image.base!;
  return {
    context: image.dir,
    dockerfile: 'Dockerfile',
    ...common,
    args: { BASE_IMAGE: base.ref },
    contexts: { [base.ref]: `target:${base.name}` },
  };
}

/** The bake target of an image's test image (smoke's compute tier): `<image>-test`. */
export const testTargetOf = (image: string): string => `${image}-test`;

/**
 * The test image of an image with a compute probe: the probe's folder as context, FROM the image
 * under test (chained to its target here; smoke points the context at the exact image it tests). In
 * no group, so no build or publish bakes it; its tag is a repository of its own, never the image's.
 */
export function testTarget(image: PlannedImage, probe: string, namespace: string): BakeTarget {
  const ref = imageRef(namespace, image);
  const context = `generators/compute-probes/${probe}`;
  return {
    context,
    dockerfile: `${context
      .split('/')
      .map(() => '..')
      .join('/')}/${image.dir}/test.Dockerfile`,
    platforms: image.platforms,
    tags: [`\${REGISTRY}/${shortName(image.repository)}-test:${ref.split(':').pop()}`],
    labels: { 'io.accelbase.test-of': image.name },
    args: { IMAGE_UNDER_TEST: ref },
    contexts: { [ref]: `target:${image.name}` },
  };
}

/** docker-bake.json as rendered: every part present. */
export type RenderedBake = Required<Omit<BakeDefinition, 'target'>> & { target: Record<string, BakeTarget> };

export function renderBake(plan: Plan, catalog: Catalog): RenderedBake {
  // Images on a retired release keep their target (the Dockerfile of their last build) but are in no group.
  const live = plan.images.filter((i) => !i.support.retired);
  const group: RenderedBake['group'] = { default: { targets: live.map((i) => i.name) } };
  // Group names are accelerator names: `constructor` is one, so the lookup is own-property only.
  const add = (name: string, target: string) =>
    (ownValue(group, name) ?? (group[name] = { targets: [] })).targets.push(target);
  for (const image of live) add(image.kind === 'minideb' ? 'minideb' : image.accelerator!, image.name);
  return {
    variable: {
      REGISTRY: { default: catalog.registry.namespace, description: 'registry and namespace images are tagged under' },
      REVISION: { default: '', description: 'source revision recorded as org.opencontainers.image.revision' },
    },
    group,
    target: Object.fromEntries(
      plan.images.flatMap((i) => {
        const probe = i.smoke.compute?.probe;
        const own: [string, BakeTarget] = [i.name, bakeTarget(i)];
        return probe ? [own, [testTargetOf(i.name), testTarget(i, probe, catalog.registry.namespace)]] : [own];
      }),
    ),
  };
}
