// What every image of the real catalog comes to on this machine: built (then passed or no-device in
// smoke) or skipped because its source is out of reach. The whole-catalog engine test asserts it; the
// bench prints each image's outcome beside it.
import { envConfig } from './run-config.js';
import { requireEngine } from '../engine/engine.js';
import { run } from '../exec.js';

export interface CatalogExpectation {
  /** retired: on a release the catalog retired, so `build` never selects it. */
  build: 'built' | 'unreachable' | 'retired';
  smoke?: 'passed' | 'no-device';
}

export const WHOLE_CATALOG: Readonly<Record<string, CatalogExpectation>> = {
  'minideb-trixie': { build: 'built', smoke: 'passed' },
  'minideb-bookworm': { build: 'built', smoke: 'passed' },
  // Debian 11's LTS ended 2026-08-31: bullseye is retired in the catalog, nothing is built on it.
  'minideb-bullseye': { build: 'retired' },
  'opencl-pocl': { build: 'built', smoke: 'passed' },
  'vulkan-lavapipe': { build: 'built', smoke: 'passed' },
  'onnxruntime-cpu': { build: 'built', smoke: 'passed' },
  'cuda-runtime': { build: 'built', smoke: 'no-device' },
  'cuda-devel': { build: 'built', smoke: 'no-device' },
  'rocm-runtime': { build: 'built', smoke: 'no-device' },
  // PyPI and Coral's apt repository cannot be reached from here.
  'onnxruntime-gpu': { build: 'unreachable' },
  'edgetpu-std': { build: 'unreachable' },
  'edgetpu-max': { build: 'unreachable' },
};

/** ACCELBASE_ITG_CATALOG=0 leaves the whole-catalog engine test out of a local run (CI runs it). */
export const wholeCatalogSkipped = process.env.ACCELBASE_ITG_CATALOG === '0';

/** The images a whole-catalog `build` reports on: every one but those on a retired release. */
export const selectedImages = (): string[] =>
  Object.keys(WHOLE_CATALOG).filter((name) => WHOLE_CATALOG[name].build !== 'retired');

/** The images whose sources are reachable here: the ones a whole-catalog run smoke-tests. */
export const reachableImages = (): string[] =>
  Object.keys(WHOLE_CATALOG).filter((name) => WHOLE_CATALOG[name].build === 'built');

/**
 * Remove from the engine every image a whole-catalog smoke pulled from `registry` (a `host/namespace`
 * prefix): cuda-devel alone unpacks to 8 GB. Smoke pulls by digest, so most have no tag and
 * `repo:<none>` names nothing: those go by `repo@digest`, never by ID, which would take every other
 * name of the same image with it (builds are reproducible: other namespaces hold the same digests).
 */
export async function removePulledImages(registry: string): Promise<void> {
  const engine = await requireEngine(envConfig());
  const listed = await run(
    engine.docker,
    ['image', 'ls', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}'],
    { env: engine.env, allowFailure: true },
  );
  const ours = listed.stdout
    .split('\n')
    .filter((line) => line.startsWith(`${registry}/`))
    .map((line) => {
      const [repository, tag, digest] = line.split(' ');
      return tag === '<none>' ? `${repository}@${digest}` : `${repository}:${tag}`;
    });
  if (ours.length) await run(engine.docker, ['image', 'rm', ...new Set(ours)], { env: engine.env, allowFailure: true });
}
