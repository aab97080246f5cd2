// `publish`: after update + build --push + smoke, move floating tags where something really changed
// and every platform passed; record what was published in catalog.lock.yaml.
import type { Run } from '../config/run-config.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../catalog/grammar.js';
import { serializeLock, type Lock } from '../catalog/lock.js';
import { archOf } from '../catalog/platform.js';
import { tagIndex } from '../docker/imagetools.js';
import { requireEngine } from '../engine/engine.js';
import { sha256File, writeAtomic } from '../lib/fs.js';
import { byDigest } from '../oci/reference.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { decidePublish, type PublishDecision } from '../plan/publish.js';
import { tarballEpoch } from '../rootfs/ensure.js';
import { rootfsTarball } from '../rootfs/paths.js';
import { lastPushedDigest, readBuildResults, readSmokeResults, type SmokeResult } from './state.js';
import { docsWorkspace } from './docs.js';
import { reopen, type OpenWorkspace } from './workspace.js';
import { ownValue } from '../lib/own.js';
import { isoDay } from '../lib/date.js';

export interface PublishOutcome {
  published: number;
  decisions: PublishDecision[];
  /** The folder `docs` wrote the matrix with facts into. */
  docs: string;
}

/** minideb: sha256 of each platform's rootfs tarball as built, which is what its image holds, and the date of its updates. */
async function rootfsFactsOf(
  root: string,
  image: PlannedImage,
): Promise<{ rootfs: Partial<Record<Platform, string>>; updatesAsOf: Partial<Record<Platform, string>> }> {
  const rootfs: Partial<Record<Platform, string>> = {};
  const updatesAsOf: Partial<Record<Platform, string>> = {};
  if (image.kind !== 'minideb') return { rootfs, updatesAsOf };
  for (const p of image.platforms) {
    const tar = join(root, rootfsTarball(image.dist, archOf(p)));
    if (!existsSync(tar)) continue;
    const sha = await sha256File(tar);
    rootfs[p] = `sha256:${sha}`;
    const epoch = await tarballEpoch(root, image.dist, archOf(p), sha);
    if (epoch !== undefined) updatesAsOf[p] = isoDay(new Date(epoch * 1000));
  }
  return { rootfs, updatesAsOf };
}

/** Smoke outcomes per platform for exactly the pushed index `ref`. */
const outcomesFor = (smoke: SmokeResult[], image: string, ref: string | undefined) =>
  Object.fromEntries(
    smoke.filter((s) => ref && s.image === image && s.ref === ref).map((s) => [s.platform, s.outcome]),
  );

export async function publishWorkspace(
  ws: OpenWorkspace,
  names: string[],
  run: Run,
  today = isoDay(),
): Promise<PublishOutcome> {
  const built = readBuildResults(ws.root);
  const smoke = readSmokeResults(ws.root);
  const lock: Lock = structuredClone(ws.lock);
  const decisions: PublishDecision[] = [];
  let engine: Awaited<ReturnType<typeof requireEngine>> | undefined;
  for (const image of selectWithBases(ws.plan, names)) {
    const digest = lastPushedDigest(built, image);
    const ref = digest ? byDigest(image.repository, digest) : undefined;
    const baseLocked = image.base ? ownValue(lock.images, image.base.name) : undefined;
    const decision = decidePublish({
      image,
      locked: ownValue(lock.images, image.name),
      builtDigest: digest,
      smoke: outcomesFor(smoke, image.name, ref),
      baseDigest: baseLocked ? Object.values(baseLocked.platforms)[0]?.digest : undefined,
      ...(await rootfsFactsOf(ws.root, image)),
      installed: digest ? built.find((b) => b.image === image.name)?.installed : undefined,
      today,
    });
    if (decision.action === 'publish') {
      engine ??= await requireEngine(run.config);
      run.reporter.info(`publish ${image.name}: ${decision.why}`);
      await tagIndex(engine, decision.tags, byDigest(image.repository, decision.digest));
      lock.images[image.name] = decision.locked;
    }
    decisions.push(decision);
  }
  const published = decisions.filter((d) => d.action === 'publish').length;
  if (published) writeAtomic(ws.ws.lockFile, serializeLock(lock));
  // The matrix with facts, from the lock as just written.
  const docs = (await docsWorkspace(published ? reopen(ws) : ws)).output;
  return { published, decisions, docs };
}
