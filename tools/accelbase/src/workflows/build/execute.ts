// Running one step of a build plan: its rootfs tarballs (minideb), the unchanged check, the bake,
// the push (or the layout, or the loaded image's digest) and the input record. An image that cannot
// be built (its rootfs, its bake, its push) fails alone; the loop decides whether the rest stop.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../config/run-config.js';
import { bakeArgs, hostNetworkBake, metadataDigest, runBake } from '../../docker/bake.js';
import { type EngineClient, requireBuildx } from '../../engine/client.js';
import { hasBridgeNetwork } from '../../engine/engine.js';
import { proxyEnv, resolveAptProxy } from '../../engine/package-cache.js';
import { ExecError, UserError } from '../../errors.js';
import { writeAtomic } from '../../lib/fs.js';
import { ownValue } from '../../lib/own.js';
import { splitTag } from '../../oci/reference.js';
import { layoutRoot } from '../../oci/layout.js';
import { pushLayout } from '../../oci/upload.js';
import type { Reporter } from '../../reporter.js';
import { installedInImage } from '../installed.js';
import type { BuildResult } from '../state.js';
import {
  type BakeTarget,
  currentInputs,
  type InputRecords,
  recordOf,
  reusablePush,
  writeInputRecord,
} from '../unchanged.js';
import type { BuildOptions } from './options.js';
import { type BuildStep, skipReason, stepBake, stepEpoch } from './plan.js';

/** What a bake needs from the engine, asked once per run. */
export interface BakeSetup {
  hostNetworkFile?: string;
  proxyArgs: Record<string, string>;
}

export interface StepContext {
  engine: EngineClient;
  options: BuildOptions;
  reporter: Reporter;
  /** Every outcome so far (pinned bases included), by image. */
  results: Map<string, BuildResult>;
  /** SOURCE_DATE_EPOCH of every image baked so far (pinned bases included). */
  epochs: Map<string, number>;
  /** The recorded inputs of the last tagged push of each image; only a tagged push records or reuses one. */
  records?: InputRecords;
  /** The targets of the committed bake file. */
  bakeTargets: Record<string, BakeTarget>;
  bakeSetup: () => Promise<BakeSetup>;
  /** An earlier image failed without --keep-going. */
  stop: boolean;
}

/**
 * The engine questions a bake needs answered, asked once and only when something is baked (a run
 * where every image is unchanged spawns no docker process): buildx is there (no buildx fails the
 * command, not the image), and without a bridge network the host-network file and the package cache.
 */
export function bakeSetupOnce(
  engine: EngineClient,
  o: { workDir: string; allTargets: string[]; config: RunConfig; reporter: Reporter },
): () => Promise<BakeSetup> {
  let setup: Promise<BakeSetup> | undefined;
  return () =>
    (setup ??= (async () => {
      await requireBuildx(engine);
      const hostNetworkFile = (await hasBridgeNetwork(o.config)) ? undefined : join(o.workDir, 'host-network.json');
      if (hostNetworkFile) writeAtomic(hostNetworkFile, hostNetworkBake(o.allTargets));
      // The package cache listens on the host's loopback: only RUN steps on the host network reach it.
      const aptProxy = hostNetworkFile ? await resolveAptProxy(o.config.aptProxy) : undefined;
      if (aptProxy) o.reporter.info(`packages are fetched through the package cache at ${aptProxy}`);
      return { hostNetworkFile, proxyArgs: proxyEnv(aptProxy) };
    })());
}

/** Run one step; its outcome is recorded in `ctx.results` (and its epoch in `ctx.epochs`) and returned. */
export async function executeStep(step: BuildStep, ctx: StepContext): Promise<BuildResult> {
  const { image, platforms, tags } = step;
  const o = ctx.options;
  const result: BuildResult = {
    image: image.name,
    repository: image.repository,
    platforms,
    status: 'skipped',
    tags,
    durationS: 0,
  };
  ctx.results.set(image.name, result);
  const base = image.base ? ctx.results.get(image.base.name) : undefined;
  result.reason = skipReason(step, { stop: ctx.stop, base });
  if (result.reason) return result;

  let epoch: number;
  const preparing = performance.now();
  try {
    epoch = stepEpoch(
      step,
      'rootfs' in step.epoch
        ? { rootfsEpochs: await o.ensureRootfs(step.epoch.rootfs, platforms) }
        : { baseEpoch: step.epoch.base === undefined ? undefined : ctx.epochs.get(step.epoch.base) },
    );
  } catch (e) {
    return failed(result, e, preparing, ctx.reporter);
  }
  ctx.epochs.set(image.name, epoch);
  ctx.reporter.info(`\n==> ${image.name} (${platforms.join(', ')})`);
  const start = performance.now();
  // A tagged push of the very inputs the registry already serves: nothing to build (unchanged.ts).
  const target = ownValue(ctx.bakeTargets, image.name);
  // --no-cache always bakes, and records what it pushed like any build (it is not an input: same digest).
  const inputs =
    ctx.records && target
      ? await currentInputs(
          o.root,
          target,
          {
            args: bakeArgs(stepBake(step, { epoch, base }, { output: o.output, provenance: o.provenance })),
            env: step.bakeEnv,
          },
          recordOf(ctx.records, image.name),
        )
      : undefined;
  const reused = inputs && !o.noCache && (await reusablePush(image.repository, tags, inputs));
  if (reused) {
    Object.assign(result, reused, {
      status: 'cached',
      reason: 'unchanged: the same inputs as its last push, which the registry still serves',
      durationS: (performance.now() - start) / 1000,
    });
    ctx.reporter.info(`unchanged since its last push (${reused.digest}): not rebuilt`);
    // Signing is idempotent: an index pushed before a key was set gets its signature now, one signed already nothing.
    if (o.afterReuse && !o.parts)
      try {
        Object.assign(result, await o.afterReuse(image, result, ctx.results));
      } catch (e) {
        return failed(result, e, start, ctx.reporter);
      }
    return result;
  }
  rmSync(step.layoutDir, { recursive: true, force: true });
  const setup = await ctx.bakeSetup();
  try {
    const args = bakeArgs(stepBake(step, { epoch, base, ...setup }, o));
    const r = await runBake(ctx.engine, args, { cwd: o.root, env: step.bakeEnv });
    result.status = r.progress.allStepsCached() ? 'cached' : 'built';
    // A cache-only build leaves nothing addressable behind: no digest to smoke or build on.
    if (o.output === 'push') {
      // The layout, by digest, and for a tagged push under the build tags once everything is in.
      result.digest = await pushLayout(step.layoutDir, image.repository, {
        from: base ? [base.repository] : [],
        tags: o.parts ? [] : tags.map((t) => splitTag(t).tag!),
      });
      rmSync(step.layoutDir, { recursive: true, force: true });
      result.installed = await installedPerPlatform(image.repository, result.digest, platforms);
      if (o.afterPush && !o.parts) Object.assign(result, await o.afterPush(image, result, ctx.results));
      if (ctx.records && inputs)
        writeInputRecord(o.root, ctx.records, image.name, inputs, {
          ...result,
          durationS: (performance.now() - start) / 1000,
        });
    } else if (o.output === 'layout') result.digest = layoutRoot(step.layoutDir).digest;
    else if (o.output === 'load')
      result.digest = metadataDigest(JSON.parse(readFileSync(step.metadataFile, 'utf8')), image.name);
    result.durationS = (performance.now() - start) / 1000;
  } catch (e) {
    // bake failed (ExecError), or pushing its layout did (UserError: the registry's answer).
    failed(result, e, start, ctx.reporter);
  }
  return result;
}

/** A step's own failure (ExecError, UserError) becomes its outcome; anything else is a bug and propagates. */
function failed(result: BuildResult, e: unknown, start: number, reporter: Reporter): BuildResult {
  if (!(e instanceof ExecError) && !(e instanceof UserError)) throw e;
  result.status = 'failed';
  // One line for the summary's table; a multi-line message (a rootfs's apt tail) goes to the log whole.
  result.reason =
    e instanceof ExecError
      ? (e.stderrTail
          .split('\n')
          .filter((l) => /ERROR|error:/.test(l))
          .pop() ?? `exit code ${e.exitCode}`)
      : e.message.split('\n')[0];
  result.durationS = (performance.now() - start) / 1000;
  if (e instanceof UserError && e.message.includes('\n')) reporter.info(`${result.image} failed: ${e.message}`);
  return result;
}

async function installedPerPlatform(
  repository: string,
  digest: string,
  platforms: string[],
): Promise<Record<string, Record<string, string>>> {
  const installed: Record<string, Record<string, string>> = {};
  for (const p of platforms) installed[p] = await installedInImage(repository, digest, p);
  return installed;
}
