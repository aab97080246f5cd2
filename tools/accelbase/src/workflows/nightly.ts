// `nightly`: update the lock, build only what changed (or was never published), smoke-test it,
// publish where it really changed. Composes the workflows directly, with this run's options.
import type { Run } from '../config/run-config.js';
import type { Lock } from '../catalog/lock.js';
import { archesOf, archOf } from '../catalog/platform.js';
import { packageMoves, type PackageMove } from '../plan/changelog.js';
import { isSecuritySuite } from '../plan/outdated.js';
import { rootfsForSuites } from '../rootfs/ensure.js';
import { archiveLookups } from './archive.js';
import { buildWorkspace } from './build.js';
import { debianComponents } from './outdated.js';
import { docsWorkspace } from './docs.js';
import { publishWorkspace } from './publish.js';
import { pruneWorkspace, type PruneOutcome } from './prune.js';
import { affectedSince } from './review.js';
import { smokeWorkspace } from './smoke.js';
import type { PackageChange, Unresolved } from './resolve-lock.js';
import { updateWorkspace } from './update.js';
import { checkLifecycle, reopen, type OpenWorkspace } from './workspace.js';
import { ownValue } from '../lib/own.js';
import { isoDay } from '../lib/date.js';

export interface NightlyOutcome {
  lockChanged: boolean;
  /** Package versions that moved. */
  changes: PackageChange[];
  /** Packages no source resolved (they keep their locked versions). */
  unresolved: Unresolved[];
  /** Images the night set out to build: changed, or never published. */
  wanted: string[];
  built: string[];
  published: number;
  /** A build or smoke test failed. */
  failed: boolean;
  /** Installed packages that moved between the lock before and after the night. */
  moves: PackageMove[];
  /** The folder `docs` wrote the matrix with facts into (every night, quiet or not). */
  docs?: string;
  /** What `--prune` deleted at the end of the night. */
  prune?: PruneOutcome;
}

/** minideb tarballs whose installed set has a newer version in the archive are bootstrapped again. */
async function refreshRootfs(ws: OpenWorkspace, rebuild: readonly string[], run: Run): Promise<void> {
  for (const image of ws.plan.images) {
    if (image.kind === 'minideb' && !image.support.retired && rebuild.includes(image.name))
      await rootfsForSuites(ws.root, [image.dist], archesOf(image.platforms), run.config);
  }
}

/** Every installed package that moved, security marked where the archive has its new version in `-security`. */
async function movesOf(ws: OpenWorkspace, before: Lock, after: Lock, run: Run): Promise<PackageMove[]> {
  const moves = packageMoves(before, after, () => undefined);
  // archiveLookups reads each distribution and architecture once, however many moves ask.
  const lookup = archiveLookups({ components: debianComponents(ws), ...run });
  for (const m of moves) {
    const dist = ws.plan.images.find((i) => i.name === m.image)?.dist;
    if (!m.to || !dist) continue;
    const offer = (await lookup(dist, archOf(m.platform)))(m.package);
    m.security = offer?.version === m.to && isSecuritySuite(offer.suite);
  }
  return moves;
}

export async function nightly(
  ws: OpenWorkspace,
  o: { platforms: string[]; today?: string; prune?: boolean },
  run: Run,
): Promise<NightlyOutcome> {
  const lockBefore = ws.lock;
  const update = await updateWorkspace(ws, run);
  const current = reopen(ws);
  // With tonight's release dates: an image on a release past its security support stops the night.
  checkLifecycle(current, o.today ?? isoDay());
  await refreshRootfs(current, update.rebuild, run);
  const affected = (await affectedSince(current, 'HEAD')).images.map((i) => i.name);
  // Never published (no digest in the lock) counts as changed: the first night builds everything.
  const unpublished = current.plan.images
    .filter((i) => !Object.values(ownValue(current.lock.images, i.name)?.platforms ?? {}).some((p) => p?.digest))
    .map((i) => i.name);
  // A retired release's images are never built again: their last published tags stay as they are.
  const retired = new Set(current.plan.images.filter((i) => i.support.retired).map((i) => i.name));
  const wanted = [...new Set([...affected, ...unpublished])].filter((name) => !retired.has(name));
  const outcome: NightlyOutcome = {
    lockChanged: update.lockChanged,
    changes: update.changes,
    unresolved: update.unresolved,
    wanted,
    built: [],
    published: 0,
    failed: false,
    moves: [],
  };
  if (wanted.length) {
    await buildSmokePublish(current, o, outcome, run);
    outcome.moves = await movesOf(current, lockBefore, reopen(current).lock, run);
  }
  outcome.docs = (await docsWorkspace(reopen(current))).output;
  // After publish: the lock names tonight's published digests, so retention keeps them.
  if (o.prune) outcome.prune = await pruneWorkspace(reopen(current), run);
  return outcome;
}

async function buildSmokePublish(
  current: OpenWorkspace,
  o: { platforms: string[] },
  outcome: NightlyOutcome,
  run: Run,
): Promise<void> {
  const { wanted } = outcome;
  const results = await buildWorkspace(current, {
    names: wanted,
    platforms: o.platforms,
    output: 'push',
    keepGoing: true,
    ...run,
  });
  outcome.failed = results.some((r) => r.status === 'failed');
  outcome.built = results.filter((r) => r.status === 'built' || r.status === 'cached').map((r) => r.image);
  if (!outcome.built.length) return;
  const smoke = await smokeWorkspace(current, { names: outcome.built, platforms: o.platforms }, run);
  outcome.failed ||= smoke.some((r) => r.outcome === 'failed');
  outcome.published = (await publishWorkspace(current, outcome.built, run)).published;
}
