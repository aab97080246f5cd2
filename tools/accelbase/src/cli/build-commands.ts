// Commands that drive the engine: engine, build, smoke. They orchestrate; the work is in build/ and smoke/.
import { engineDown, engineStatus, engineUp } from '../engine/engine.js';
import { buildImages, summaryTable } from '../workflows/build.js';
import { readBuildResults as readResults, smokeResultsFile } from '../workflows/state.js';
import { Platform } from '../catalog/grammar.js';
import { UserError } from '../errors.js';
import { run } from '../exec.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { utcDate } from '../plan/tags.js';
import { writeAtomic } from '../lib/fs.js';
import { junit, type SmokeResult } from '../smoke/outcome.js';
import { smokeImages } from '../workflows/smoke.js';
import { splitList } from './args.js';
import { load, planFor, printJson, type Context } from './commands.js';
import { ensureRootfs } from '../rootfs/ensure.js';

export async function engine(ctx: Context): Promise<number> {
  const [action] = ctx.args;
  if (action === 'up') {
    const r = await engineUp();
    if (ctx.flags.json) printJson(ctx, r);
    else if (!r.managed) ctx.out(`using the existing engine at ${r.dockerHost}; registry ${r.registryUrl}\n`);
    else {
      ctx.out(`${r.alreadyRunning ? 'already running' : 'started'}: ${Object.entries(r.pids).map(([k, v]) => `${k} (pid ${v})`).join(', ')}\n`);
      ctx.out(`DOCKER_HOST=${r.dockerHost}\nregistry: ${r.registryUrl}\n`);
    }
    return 0;
  }
  if (action === 'down') {
    const r = await engineDown();
    if (ctx.flags.json) printJson(ctx, r);
    else ctx.out(Object.keys(r.stopped).length ? `stopped: ${Object.entries(r.stopped).map(([k, v]) => `${k} (pid ${v})`).join(', ')}\n` : 'nothing to stop\n');
    return 0;
  }
  if (action === 'status') {
    const s = await engineStatus();
    if (ctx.flags.json) printJson(ctx, s);
    else {
      ctx.out(`engine: ${s.running ? 'running' : 'not running'} (${s.managed ? 'managed by accelbase' : 'external'}) at ${s.dockerHost}\n`);
      ctx.out(`docker ${s.dockerVersion ?? '-'}, buildx ${s.buildxVersion ?? '-'}, platforms: ${s.platforms.join(', ') || '-'}\n`);
      ctx.out(`registry: ${s.registry.url} (${s.registry.up ? 'up' : 'down'})\n`);
    }
    return s.running ? 0 : 1;
  }
  throw new UserError('usage: accelbase engine up|down|status [--json]', 2);
}

function platformsFlag(ctx: Context): string[] {
  const platforms = splitList(ctx.flags.platform);
  for (const p of platforms) if (!Platform.safeParse(p).success) throw new UserError(`--platform ${p}: not one of ${Platform.options.join(', ')}`, 2);
  return platforms;
}

async function gitRevision(root: string): Promise<string | undefined> {
  const r = await run('git', ['rev-parse', 'HEAD'], { cwd: root, allowFailure: true });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function build(ctx: Context): Promise<number> {
  if (ctx.flags.push && ctx.flags.load) throw new UserError('--push and --load exclude each other', 2);
  const loaded = load(ctx);
  const plan = planFor(ctx, loaded);
  const images = selectWithBases(plan, ctx.args);
  const date = ctx.flags.date ?? utcDate();
  if (!/^[0-9]{8}$/.test(date)) throw new UserError(`--date ${date}: expected YYYYMMDD`, 2);
  const results = await buildImages(images, {
    root: loaded.ws.root,
    catalog: loaded.model.catalog,
    platforms: platformsFlag(ctx),
    output: ctx.flags.push ? 'push' : ctx.flags.load ? 'load' : 'cache',
    keepGoing: ctx.flags['keep-going'],
    noCache: ctx.flags['no-cache'],
    allTargets: plan.images.map((i) => i.name),
    date,
    revision: ctx.flags.revision ?? (await gitRevision(loaded.ws.root)),
    ensureRootfs: (dist, platforms) => ensureRootfs(loaded.ws.root, dist, platforms),
  });
  if (ctx.flags.json) printJson(ctx, { results });
  else ctx.out(`\n${summaryTable(results)}`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

/** What to run for each image: the digest the last build pushed, else the image's distribution tag. */
function smokeRefs(images: PlannedImage[], root: string): { image: PlannedImage; ref: string }[] {
  const built = new Map(readResults(root).map((r) => [r.image, r]));
  return images.map((image) => {
    const b = built.get(image.name);
    const ref = b?.digest && b.repository === image.repository ? `${image.repository}@${b.digest}` : `${image.repository}:${image.dist}`;
    return { image, ref };
  });
}

export async function smoke(ctx: Context): Promise<number> {
  const loaded = load(ctx);
  const plan = planFor(ctx, loaded);
  const wanted = ctx.args.length ? selectWithBases(plan, ctx.args).filter((i) => ctx.args.some((a) => a === i.name || a === i.project || a === i.accelerator)) : plan.images;
  const built = readResults(loaded.ws.root);
  // With no names, smoke what the last build produced (an unbuilt image has nothing to run).
  const images = ctx.args.length || built.length === 0 ? wanted : wanted.filter((i) => built.some((b) => b.image === i.name && b.digest));
  const results: SmokeResult[] = await smokeImages(smokeRefs(images, loaded.ws.root), platformsFlag(ctx));
  if (ctx.flags.junit) writeAtomic(ctx.flags.junit, junit(results, ctx.flags['require-device']));
  writeAtomic(smokeResultsFile(loaded.ws.root), `${JSON.stringify({ results }, null, 2)}\n`);
  if (ctx.flags.json) printJson(ctx, { results });
  else for (const r of results) ctx.out(`${r.outcome.padEnd(9)}  ${r.image.padEnd(18)} ${r.platform.padEnd(12)} ${r.durationS.toFixed(1).padStart(6)}s  ${r.detail}\n`);
  const bad = results.filter((r) => r.outcome === 'failed' || (ctx.flags['require-device'] && r.outcome === 'no-device'));
  return bad.length ? 1 : 0;
}
