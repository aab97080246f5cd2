// `accelbase smoke`: run each image's device query in a container per platform, with no network
// and only the devices its profile names.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { run } from '../exec.js';
import { info } from '../log.js';
import type { PlannedImage } from '../plan/plan.js';
import { requireEngine } from '../engine/engine.js';
import { deviceFlags } from '../catalog/device.js';
import { classify, type SmokeResult } from '../smoke/outcome.js';

export const DEVICE_QUERY = '/usr/local/bin/accelbase-device-query';

/** The docker run argv for one image and platform; the container is named so a timeout can remove it. */
export function smokeArgs(image: PlannedImage, platform: string, ref: string, name: string, exists: (p: string) => boolean): string[] {
  const command = image.smoke.command ?? [DEVICE_QUERY];
  return [
    'run', '--rm', '--name', name, '--network', 'none', '--platform', platform, '--pull', 'missing',
    '-e', `ACCELBASE_PLATFORM=${platform}`,
    ...deviceFlags(image.device, exists),
    ref, ...command,
  ];
}

export async function smokeImages(targets: { image: PlannedImage; ref: string }[], platforms: string[]): Promise<SmokeResult[]> {
  const { env, docker } = await requireEngine();
  const results: SmokeResult[] = [];
  for (const { image, ref } of targets) {
    for (const platform of image.platforms.filter((p) => platforms.length === 0 || platforms.includes(p))) {
      const name = `accelbase-smoke-${randomBytes(4).toString('hex')}`;
      const start = performance.now();
      // Pull first, outside the timeout (it is for the device query, not the registry), unless the
      // image is already here: a local inspect is much cheaper than asking the registry.
      const present = (await run(docker, ['image', 'inspect', '--format', '{{.Id}}', ref], { env, allowFailure: true })).exitCode === 0;
      const pull = present ? { exitCode: 0, stderr: '', timedOut: false } : await run(docker, ['pull', '--quiet', '--platform', platform, ref], { env, allowFailure: true, timeoutMs: 600_000 });
      let r = { exitCode: pull.exitCode as number | null, stdout: '', stderr: pull.stderr, timedOut: pull.timedOut };
      if (pull.exitCode === 0) {
        r = await run(docker, smokeArgs(image, platform, ref, name, existsSync), { env, allowFailure: true, timeoutMs: image.smoke.timeout * 1000 });
        if (r.timedOut) await run(docker, ['rm', '--force', name], { env, allowFailure: true });
      }
      const output = `${r.stdout}\n${r.stderr}`.trim();
      const { outcome, detail } = pull.exitCode === 0 ? classify(image.smoke, platform, { exitCode: r.exitCode, output, timedOut: r.timedOut }) : { outcome: 'failed' as const, detail: `pull failed: ${output.split('\n').pop()}` };
      const result: SmokeResult = { image: image.name, platform, ref, outcome, detail, durationS: (performance.now() - start) / 1000, exitCode: r.exitCode };
      info(`${outcome.padEnd(9)} ${image.name} ${platform}: ${detail}`);
      results.push(result);
    }
  }
  return results;
}
