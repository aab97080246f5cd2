// smoke's compute tier: a small known computation on the device the query found, checked. A probe
// runs in the image's test image (`<image>-test` in docker-bake.json: the probe's stages FROM the
// exact image under test, loaded into the engine under a name of its own, never pushed); an image
// whose query already computes and checks a result (ONNX Runtime) has its query's outcome; one
// without a compute tier says that its query is its only tier.
import { join } from 'node:path';
import type { Run } from '../config/run-config.js';
import { archOf } from '../catalog/platform.js';
import type { Compute } from '../catalog/schema.js';
import { bakeArgs, runBake, targetOverrides } from '../docker/bake.js';
import type { DockerEngine } from '../docker/engine.js';
import { runContainer, type ContainerSpec } from '../docker/run.js';
import type { EngineClient } from '../engine/client.js';
import { ExecError } from '../errors.js';
import { imageRef, type PlannedImage } from '../plan/plan.js';
import { testTargetOf } from '../render/bake-file.js';
import { classify, outputTail, type TierResult } from '../smoke/outcome.js';
import { bakeSetupOnce, type BakeSetup } from './build/execute.js';

/** Where a test image's probe is installed (generators/compute-probes/<probe>/test.Dockerfile.eta). */
export const COMPUTE_PROBE = '/usr/local/bin/accelbase-compute-probe';

/** The local name a test image is loaded under: its own repository, one tag per architecture. */
export const testImageName = (image: string, platform: string): string => `accelbase-test/${image}:${archOf(platform)}`;

/** How the test images of one smoke run are built: the workspace's bake file, its setup asked once. */
export interface TestImageBuilds {
  root: string;
  /** REGISTRY for the bake file's variables. */
  namespace: string;
  /** The catalog's namespace: the test target's FROM names the image under it (render/bake-file.ts). */
  catalogNamespace: string;
  setup: () => Promise<BakeSetup>;
}

export function testImageBuilds(
  engine: EngineClient,
  o: { root: string; namespace: string; catalogNamespace: string; allTargets: string[]; run: Run },
): TestImageBuilds {
  return {
    root: o.root,
    namespace: o.namespace,
    catalogNamespace: o.catalogNamespace,
    setup: bakeSetupOnce(engine, {
      workDir: join(o.root, '.accelbase', 'smoke'),
      allTargets: o.allTargets,
      config: o.run.config,
      reporter: o.run.reporter,
    }),
  };
}

/** The bake of one test image for one platform, FROM `ref` (the image under test) and loaded as `name`. */
export function testImageBake(
  image: PlannedImage,
  platform: string,
  ref: string,
  name: string,
  setup: BakeSetup,
  root: string,
  catalogNamespace: string,
): string[] {
  const target = testTargetOf(image.name);
  const args = targetOverrides(target, {
    platform: [platform],
    tags: [name],
    args: setup.proxyArgs,
    output: 'type=docker',
    contexts: { [imageRef(catalogNamespace, image)]: `docker-image://${ref}` },
  });
  return bakeArgs({
    files: [join(root, 'docker-bake.json'), ...(setup.hostNetworkFile ? [setup.hostNetworkFile] : [])],
    ...(setup.hostNetworkFile ? { allow: ['network.host'] } : {}),
    set: args,
    targets: [target],
  });
}

/** The compute tier of one image on one platform; `query` is its query tier's result. */
export async function computeTier(
  engine: DockerEngine,
  image: PlannedImage,
  platform: string,
  ref: string,
  query: TierResult,
  container: Omit<ContainerSpec, 'command' | 'ref'>,
  builds: TestImageBuilds,
): Promise<TierResult> {
  const compute: Compute | undefined = image.smoke.compute;
  if (!compute)
    return {
      outcome: 'none',
      detail: `no compute tier: the device query is ${image.accelerator ?? image.name}'s only tier`,
    };
  if (compute.query)
    return {
      outcome: query.outcome,
      detail: `the device query computes and checks its result, so its outcome is the compute tier's: ${query.detail}`,
    };
  const start = performance.now();
  const name = testImageName(image.name, platform);
  const setup = await builds.setup();
  try {
    await runBake(engine, testImageBake(image, platform, ref, name, setup, builds.root, builds.catalogNamespace), {
      cwd: builds.root,
      env: { REGISTRY: builds.namespace, REVISION: '' },
    });
  } catch (e) {
    if (!(e instanceof ExecError)) throw e;
    const line =
      e.stderrTail
        .split('\n')
        .filter((l) => /ERROR|error:/.test(l))
        .pop() ?? `exit code ${e.exitCode}`;
    return { outcome: 'failed', detail: `test image ${name} not built: ${line}`, durationS: seconds(start) };
  }
  const r = await runContainer(
    engine,
    { ...container, name: `${container.name}-compute`, ref: name, command: [COMPUTE_PROBE], pull: 'never' },
    compute.timeout * 1000,
  );
  const output = `${r.stdout}\n${r.stderr}`.trim();
  const { outcome, detail } = classify(
    { expect: compute.expect ?? '', noDevice: compute.noDevice, timeout: compute.timeout },
    platform,
    { exitCode: r.exitCode, output, timedOut: r.timedOut },
  );
  return { outcome, detail, output: outputTail(output), exitCode: r.exitCode, durationS: seconds(start) };
}

const seconds = (start: number) => (performance.now() - start) / 1000;
