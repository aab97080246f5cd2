// `smoke`: run each image's device query (the query tier) and its compute probe (the compute tier,
// smoke-compute.ts) in a container per platform, with no network and only the devices its profile names.
import type { Run } from '../config/run-config.js';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { deviceFlags } from '../catalog/device.js';
import { isMissingImage, pullImage, runContainer, type ContainerSpec } from '../docker/run.js';
import { requireEngine } from '../engine/engine.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import type { EngineClient } from '../engine/client.js';
import { renderBake } from '../render/bake-file.js';
import { classify, outputTail, overallOutcome, type SmokeResult, type TierResult } from '../smoke/outcome.js';
import { computeTier, type TestImageBuilds, testImageBuilds } from './smoke-compute.js';
import { attachSmokeOutcomes } from './smoke-attest.js';
import { lastPushed, readBuildResults, writeSmokeResults } from './state.js';
import type { OpenWorkspace } from './workspace.js';

export const DEVICE_QUERY = '/usr/local/bin/accelbase-device-query';

/** The container for one image and platform; named so a timeout can remove it. */
export function smokeContainer(
  image: PlannedImage,
  platform: string,
  ref: string,
  name: string,
  exists: (p: string) => boolean,
): ContainerSpec {
  return {
    name,
    platform,
    ref,
    command: image.smoke.command ?? [DEVICE_QUERY],
    env: { ACCELBASE_PLATFORM: platform },
    devices: deviceFlags(image.device, exists),
  };
}

export async function smokeImages(
  targets: { image: PlannedImage; ref: string }[],
  platforms: string[],
  run: Run,
  builds: (engine: EngineClient) => TestImageBuilds,
): Promise<SmokeResult[]> {
  const engine = await requireEngine(run.config);
  const testBuilds = builds(engine);
  const results: SmokeResult[] = [];
  for (const { image, ref } of targets) {
    for (const platform of image.platforms.filter((p) => platforms.length === 0 || platforms.includes(p))) {
      const name = `accelbase-smoke-${randomBytes(4).toString('hex')}`;
      const start = performance.now();
      // One docker run when the image is here (the usual case after a build); else pull it outside
      // the timeout (that is for the device query, not the registry) and run again.
      const spec = smokeContainer(image, platform, ref, name, existsSync);
      const timeoutMs = image.smoke.timeout * 1000;
      let pull = { exitCode: 0, stderr: '', timedOut: false };
      let r = await runContainer(engine, { ...spec, pull: 'never' }, timeoutMs);
      if (isMissingImage(r)) {
        pull = await pullImage(engine, ref, platform, 600_000);
        r =
          pull.exitCode === 0
            ? await runContainer(engine, spec, timeoutMs)
            : { exitCode: pull.exitCode, stdout: '', stderr: pull.stderr, timedOut: pull.timedOut };
      }
      const output = `${r.stdout}\n${r.stderr}`.trim();
      const query: TierResult = {
        ...(pull.exitCode === 0
          ? classify(image.smoke, platform, { exitCode: r.exitCode, output, timedOut: r.timedOut })
          : { outcome: 'failed' as const, detail: `pull failed: ${output.split('\n').pop()}` }),
        output: outputTail(output),
        exitCode: r.exitCode,
        durationS: (performance.now() - start) / 1000,
      };
      run.reporter.info(`${query.outcome.padEnd(9)} ${image.name} ${platform}: query: ${query.detail}`);
      // An image that could not be pulled has nothing to compute on.
      const compute: TierResult =
        pull.exitCode === 0
          ? await computeTier(engine, image, platform, ref, query, spec, testBuilds)
          : { outcome: 'failed', detail: 'not run: the image could not be pulled' };
      run.reporter.info(`${compute.outcome.padEnd(9)} ${image.name} ${platform}: compute: ${compute.detail}`);
      const tiers = { query, compute };
      results.push({
        image: image.name,
        platform,
        ref,
        outcome: overallOutcome(tiers),
        detail:
          compute.outcome === 'none' || image.smoke.compute?.query
            ? query.detail
            : `${query.detail}; compute: ${compute.detail}`,
        durationS: (performance.now() - start) / 1000,
        exitCode: r.exitCode,
        output: outputTail(output),
        tiers,
      });
    }
  }
  return results;
}

export interface SmokeRequest {
  /** Images to test; empty: what the last build produced (or every image, before any build). */
  names: string[];
  platforms: string[];
}

/** `smoke` over a workspace: exactly what the last build pushed, else each image's distribution tag. */
export async function smokeWorkspace(ws: OpenWorkspace, r: SmokeRequest, run: Run): Promise<SmokeResult[]> {
  const { names } = r;
  const wanted = names.length
    ? selectWithBases(ws.plan, names).filter((i) =>
        names.some((a) => a === i.name || a === i.project || a === i.accelerator),
      )
    : ws.plan.images;
  const built = readBuildResults(ws.root);
  // With no names, smoke what the last build produced (an unbuilt image has nothing to run).
  const images =
    names.length || built.length === 0
      ? wanted
      : wanted.filter((i) => built.some((b) => b.image === i.name && b.digest));
  const targets = images.map((image) => ({
    image,
    ref: lastPushed(built, image) ?? `${image.repository}:${image.dist}`,
  }));
  const results = await smokeImages(targets, r.platforms, run, (engine) =>
    testImageBuilds(engine, {
      root: ws.root,
      namespace: ws.plan.namespace,
      catalogNamespace: ws.model.catalog.registry.namespace,
      allTargets: Object.keys(renderBake(ws.plan, ws.model.catalog).target),
      run,
    }),
  );
  writeSmokeResults(ws.root, results);
  await attachSmokeOutcomes(results, run, new Date().toISOString());
  return results;
}
