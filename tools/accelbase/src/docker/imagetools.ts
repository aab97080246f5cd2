// docker buildx imagetools: pointing tags at an existing index in the registry, without a rebuild.
import { run } from '../exec.js';
import type { DockerEngine } from './engine.js';

/**
 * `imagetools create`. One source is copied as it is (`--prefer-index=false`: buildx would otherwise wrap a
 * single-platform manifest in a new index, so the tag would name a digest no build produced); several
 * (indexes or manifests) are merged into one index.
 */
export const imagetoolsCreateArgs = (tags: readonly string[], sources: readonly string[]): string[] => [
  'buildx',
  'imagetools',
  'create',
  ...(sources.length === 1 ? ['--prefer-index=false'] : []),
  ...tags.flatMap((t) => ['--tag', t]),
  ...sources,
];

/** Make every tag in `tags` name exactly `source` (`repository@digest`, an index or a single-platform manifest). */
export async function tagIndex(engine: DockerEngine, tags: readonly string[], source: string): Promise<void> {
  await run(engine.docker, imagetoolsCreateArgs(tags, [source]), { env: engine.env, tee: true });
}

/** One index of the per-platform images `sources` (`repository@digest` each), pushed under every tag in `tags`. */
export async function createIndex(
  engine: DockerEngine,
  tags: readonly string[],
  sources: readonly string[],
): Promise<void> {
  await run(engine.docker, imagetoolsCreateArgs(tags, sources), { env: engine.env, tee: true });
}
