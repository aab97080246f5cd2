// `smoke`: run each image's device query in a container per platform, with no network and only the
// devices its profile names.
import type { Run } from '../config/run-config.js';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { deviceFlags } from '../catalog/device.js';
import { isMissingImage, pullImage, runContainer, type ContainerSpec } from '../docker/run.js';
import { requireEngine } from '../engine/engine.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { classify, outputTail, type SmokeResult } from '../smoke/outcome.js';
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
): Promise<SmokeResult[]> {
  const engine = await requireEngine(run.config);
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
      const { outcome, detail } =
        pull.exitCode === 0
          ? classify(image.smoke, platform, { exitCode: r.exitCode, output, timedOut: r.timedOut })
          : { outcome: 'failed' as const, detail: `pull failed: ${output.split('\n').pop()}` };
      run.reporter.info(`${outcome.padEnd(9)} ${image.name} ${platform}: ${detail}`);
      results.push({
        image: image.name,
        platform,
        ref,
        outcome,
        detail,
        durationS: (performance.now() - start) / 1000,
        exitCode: r.exitCode,
        output: outputTail(output),
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
  const results = await smokeImages(targets, r.platforms, run);
  writeSmokeResults(ws.root, results);
  return results;
}
