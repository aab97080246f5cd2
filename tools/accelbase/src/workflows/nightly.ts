// `nightly`: update the lock, build only what changed (or was never published), smoke-test it,
// publish where it really changed. Composes the workflows directly, with this run's options.
import { buildWorkspace } from './build.js';
import { publishWorkspace } from './publish.js';
import { affectedSince } from './review.js';
import { smokeWorkspace } from './smoke.js';
import { updateWorkspace } from './update.js';
import { reopen, type OpenWorkspace } from './workspace.js';
import { ownValue } from '../lib/own.js';

export interface NightlyOutcome {
  lockChanged: boolean;
  /** Package versions that moved. */
  changes: number;
  unresolved: number;
  /** Images the night set out to build: changed, or never published. */
  wanted: string[];
  built: string[];
  published: number;
  /** A build or smoke test failed. */
  failed: boolean;
}

export async function nightly(ws: OpenWorkspace, o: { platforms: string[] }): Promise<NightlyOutcome> {
  const update = await updateWorkspace(ws);
  const current = reopen(ws);
  const affected = (await affectedSince(current, 'HEAD')).images;
  // Never published (no digest in the lock) counts as changed: the first night builds everything.
  const unpublished = current.plan.images.filter((i) => !Object.values(ownValue(current.lock.images, i.name)?.platforms ?? {}).some((p) => p?.digest)).map((i) => i.name);
  const wanted = [...new Set([...affected, ...unpublished])];
  const outcome: NightlyOutcome = { lockChanged: update.lockChanged, changes: update.changes.length, unresolved: update.unresolved.length, wanted, built: [], published: 0, failed: false };
  if (!wanted.length) return outcome;
  const results = await buildWorkspace(current, { names: wanted, platforms: o.platforms, output: 'push', keepGoing: true });
  outcome.failed = results.some((r) => r.status === 'failed');
  outcome.built = results.filter((r) => r.status === 'built' || r.status === 'cached').map((r) => r.image);
  if (!outcome.built.length) return outcome;
  const smoke = await smokeWorkspace(current, { names: outcome.built, platforms: o.platforms });
  outcome.failed ||= smoke.some((r) => r.outcome === 'failed');
  outcome.published = (await publishWorkspace(current, outcome.built)).published;
  return outcome;
}
