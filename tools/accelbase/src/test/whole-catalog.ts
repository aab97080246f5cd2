// What every image of the real catalog comes to on this machine: built (then passed or no-device in
// smoke) or skipped because its source is out of reach. The whole-catalog engine test asserts it; the
// bench prints each image's outcome beside it.

export interface CatalogExpectation {
  build: 'built' | 'unreachable';
  smoke?: 'passed' | 'no-device';
}

export const WHOLE_CATALOG: Readonly<Record<string, CatalogExpectation>> = {
  'minideb-trixie': { build: 'built', smoke: 'passed' },
  'minideb-bookworm': { build: 'built', smoke: 'passed' },
  'minideb-bullseye': { build: 'built', smoke: 'passed' },
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

/** The images whose sources are reachable here: the ones a whole-catalog run smoke-tests. */
export const reachableImages = (): string[] => Object.keys(WHOLE_CATALOG).filter((name) => WHOLE_CATALOG[name].build === 'built');
