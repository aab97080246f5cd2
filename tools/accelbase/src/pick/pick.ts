// `accelbase tags`: which image and tag an app author puts in FROM. Pure: the plan and model in,
// candidates (and text) out.
import type { Model } from '../catalog/model.js';
import { archOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { byNewest, candidateOf, type TagCandidate } from './candidate.js';
import { runtimeNames } from './contents.js';
import { failuresOf, noMatch } from './match.js';
import { normalizeQuery, type TagQuery } from './query.js';
import { describePackage } from './versions.js';

/** Images for `accelbase tags`, newest first; a UserError naming the closest images when none matches. */
export function pickTags(plan: Plan, model: Pick<Model, 'catalog' | 'images'>, query: TagQuery = {}): TagCandidate[] {
  const images = plan.images.filter((i) => i.kind === 'accelerator');
  const runtimes = runtimeNames(model);
  const q = normalizeQuery(plan, model, runtimes, images, query);
  const scored = images.map((img) => ({ img, ...failuresOf(plan, img, q) }));
  const hits = scored.filter((s) => s.failures.length === 0);
  if (hits.length === 0) throw new UserError(noMatch(plan, q, scored));
  return hits
    .map(({ img, matched }) => {
      const c = candidateOf(plan, runtimes, img);
      return q.runtime && matched ? { ...c, matched } : c;
    })
    .sort(byNewest);
}

/** Text for `accelbase tags`: per image one line of facts and the FROM line. */
export function formatTags(list: TagCandidate[], registry?: string): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of list) {
    const runtime = c.runtime ? describePackage(c.runtime) : 'no runtime package';
    const matched = c.matched && c.matched.name !== c.runtime?.name ? `; ${describePackage(c.matched)}` : '';
    lines.push(
      `${c.name.padEnd(width)}  ${c.platforms.map(archOf).join(',').padEnd(11)}  ${c.dist.padEnd(8)}  ${runtime}${matched}`,
    );
    lines.push(
      c.inRegistry === false
        ? `    # not in ${registry ?? 'the registry'}: no ${c.tag} tag (nor ${c.tag}-YYYYMMDD)`
        : `    ${c.from}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
