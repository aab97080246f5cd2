// docker-bake.json from the plan: one target per image, groups, base chaining through named contexts.
import type { Catalog } from '../catalog/schema.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { rootfsDir } from '../rootfs/paths.js';

export interface BakeTarget {
  context: string;
  dockerfile: string;
  platforms: string[];
  tags: string[];
  args?: Record<string, string>;
  contexts?: Record<string, string>;
  labels: Record<string, string>;
  'cache-from': string[];
  'cache-to': string[];
}

export interface BakeFile {
  variable: Record<string, { default: string; description?: string }>;
  group: Record<string, { targets: string[] }>;
  target: Record<string, BakeTarget>;
}

export function bakeTarget(image: PlannedImage): BakeTarget {
  const repo = image.repository.split('/').pop()!;
  const tags = image.tags.map((t) => `\${REGISTRY}/${repo}:${t}`);
  const labels: Record<string, string> = {
    'org.opencontainers.image.revision': '${REVISION}',
    'io.accelbase.distribution': image.dist,
    'io.accelbase.image': image.name,
  };
  const common = {
    platforms: image.platforms,
    tags,
    labels,
    'cache-from': [`type=registry,ref=\${REGISTRY}/${repo}:${image.tags.find((t) => t !== 'latest')}`],
    'cache-to': ['type=inline'],
  };
  if (image.kind === 'minideb') {
    const context = rootfsDir(image.dist);
    // Bake resolves a relative dockerfile against the context.
    const up = context.split('/').map(() => '..').join('/');
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

export function renderBake(plan: Plan, catalog: Catalog): BakeFile {
  const group: BakeFile['group'] = { default: { targets: plan.images.map((i) => i.name) } };
  const add = (name: string, target: string) => (group[name] ??= { targets: [] }).targets.push(target);
  for (const image of plan.images) add(image.kind === 'minideb' ? 'minideb' : image.accelerator!, image.name);
  return {
    variable: {
      REGISTRY: { default: catalog.registry.namespace, description: 'registry and namespace images are tagged under' },
      REVISION: { default: '', description: 'source revision recorded as org.opencontainers.image.revision' },
    },
    group,
    target: Object.fromEntries(plan.images.map((i) => [i.name, bakeTarget(i)])),
  };
}
