// docker buildx imagetools: pointing tags at an existing index in the registry, without a rebuild.
import { run } from '../exec.js';
import type { DockerEngine } from './engine.js';

export const imagetoolsCreateArgs = (tags: readonly string[], source: string): string[] => ['buildx', 'imagetools', 'create', ...tags.flatMap((t) => ['--tag', t]), source];

/** Make every tag in `tags` name the index `source` (`repository@digest`). */
export async function tagIndex(engine: DockerEngine, tags: readonly string[], source: string): Promise<void> {
  await run(engine.docker, imagetoolsCreateArgs(tags, source), { env: engine.env, tee: true });
}
