// Nx plugin: one project per images/<project>/image.json, with edges to the images it is built on.
// Pure and fast: it reads the rendered JSON and spawns nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface ImageJson {
  name: string;
  dependsOn: string[];
  images: { name: string }[];
}

interface TargetConfig {
  executor: string;
  options: Record<string, unknown>;
  configurations?: Record<string, Record<string, unknown>>;
  cache?: boolean;
  inputs?: string[];
  dependsOn?: string[];
}

/** Extra flags (`--push --registry ...`) pass through: `nx run opencl-pocl:build --push`. */
export function imageTargets(images: string[]): Record<string, TargetConfig> {
  const cli = (args: string) => ({
    executor: 'nx:run-commands',
    options: { command: `accelbase ${args}`, cwd: '{workspaceRoot}' },
  });
  return {
    render: { ...cli('render'), cache: false },
    build: {
      ...cli(`build ${images.join(' ')}`),
      cache: false,
      dependsOn: ['^build'],
      // `-c push`: push the build tags to the registry named by --registry / ACCELBASE_REGISTRY.
      configurations: { push: { command: `accelbase build ${images.join(' ')} --push` } },
    },
    smoke: { ...cli(`smoke ${images.join(' ')}`), cache: false, dependsOn: ['build'] },
  };
}

export const createNodesV2 = [
  'images/*/image.json',
  (files: readonly string[], _options: unknown, context: { workspaceRoot: string }) =>
    files.map((file) => {
      const root = dirname(file);
      const image = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as ImageJson;
      return [
        file,
        {
          projects: {
            [root]: {
              name: image.name,
              root,
              projectType: 'application',
              tags: ['type:image'],
              implicitDependencies: image.dependsOn,
              targets: imageTargets(image.images.map((i) => i.name)),
            },
          },
        },
      ] as const;
    }),
] as const;

export const createNodes = createNodesV2;
export const name = 'accelbase/images';
