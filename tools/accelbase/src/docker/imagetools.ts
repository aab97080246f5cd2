// docker buildx imagetools: pointing tags at an existing index in the registry, without a rebuild.
import { run } from '../exec.js';
import type { DockerEngine } from './engine.js';

/** `imagetools create`: one source is retagged as it is; several (indexes or manifests) are merged into one index. */
export const imagetoolsCreateArgs = (tags: readonly string[], source: string | readonly string[]): string[] => [
  'buildx', 'imagetools', 'create', ...tags.flatMap((t) => ['--tag', t]), ...(typeof source === 'string' ? [source] : source),
];

/** Make every tag in `tags` name the index `source` (`repository@digest`). */
export async function tagIndex(engine: DockerEngine, tags: readonly string[], source: string): Promise<void> {
  await run(engine.docker, imagetoolsCreateArgs(tags, source), { env: engine.env, tee: true });
}

/** One index of the per-platform images `sources` (`repository@digest` each), pushed under every tag in `tags`. */
export async function createIndex(engine: DockerEngine, tags: readonly string[], sources: readonly string[]): Promise<void> {
  await run(engine.docker, imagetoolsCreateArgs(tags, sources), { env: engine.env, tee: true });
}
