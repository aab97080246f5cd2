// `accelbase publish`: after update + build --push + smoke, move floating tags where something
// really changed and every platform passed; record what was published in catalog.lock.yaml.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { rootfsTarball } from '../rootfs/paths.js';
import { readBuildResults as readResults } from '../workflows/state.js';
import { requireEngine } from '../engine/engine.js';
import type { Platform } from '../catalog/grammar.js';
import type { Lock } from '../catalog/lock.js';
import { run } from '../exec.js';
import { info } from '../log.js';
import { selectWithBases } from '../plan/plan.js';
import { decidePublish, type PublishDecision } from '../plan/publish.js';
import { writeAtomic } from '../lib/fs.js';
import { readSmokeResults } from '../workflows/state.js';
import { serializeLock } from '../catalog/lock.js';
import { load, planFor, printJson, type Context } from './commands.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export async function publish(ctx: Context): Promise<number> {
  const loaded = load(ctx);
  const plan = planFor(ctx, loaded);
  const images = selectWithBases(plan, ctx.args);
  const built = new Map(readResults(loaded.ws.root).filter((r) => r.digest).map((r) => [r.image, r]));
  const smoke = readSmokeResults(loaded.ws.root);
  const lock: Lock = structuredClone(loaded.lock);
  const today = new Date().toISOString().slice(0, 10);
  const decisions: PublishDecision[] = [];
  let engine: Awaited<ReturnType<typeof requireEngine>> | undefined;

  for (const image of images) {
    const b = built.get(image.name);
    const digest = b && b.repository === image.repository ? b.digest : undefined;
    const outcomes = Object.fromEntries(smoke.filter((s) => digest && s.image === image.name && s.ref === `${image.repository}@${digest}`).map((s) => [s.platform, s.outcome]));
    const rootfs: Partial<Record<Platform, string>> = {};
    if (image.kind === 'minideb') {
      for (const p of image.platforms) {
        const tar = join(loaded.ws.root, rootfsTarball(image.dist, p.split('/')[1]));
        if (existsSync(tar)) rootfs[p] = await sha256File(tar);
      }
    }
    const baseLocked = image.base ? lock.images[image.base.name] : undefined;
    const decision = decidePublish({
      image,
      locked: lock.images[image.name],
      builtDigest: digest,
      smoke: outcomes,
      baseDigest: baseLocked ? Object.values(baseLocked.platforms)[0]?.digest : undefined,
      rootfs,
      today,
    });
    if (decision.action === 'publish') {
      engine ??= await requireEngine();
      info(`publish ${image.name}: ${decision.why}`);
      const args = ['buildx', 'imagetools', 'create', ...decision.tags.flatMap((t) => ['--tag', t]), `${image.repository}@${decision.digest}`];
      await run(engine.docker, args, { env: engine.env, tee: true });
      lock.images[image.name] = decision.locked;
    }
    decisions.push(decision);
  }
  const published = decisions.filter((d) => d.action === 'publish');
  if (published.length) writeAtomic(loaded.ws.lockFile, serializeLock(lock));
  if (ctx.flags.json) printJson(ctx, { published: published.length, decisions });
  else {
    for (const d of decisions) ctx.out(d.action === 'publish' ? `published ${d.image}: ${d.tags.map((t) => t.split(':').pop()).join(', ')} (${d.why})\n` : `unchanged ${d.image}: ${d.why}\n`);
    ctx.out(`${published.length} image${published.length === 1 ? '' : 's'} published\n`);
  }
  return 0;
}
