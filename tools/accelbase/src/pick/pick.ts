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

/** Why an image on a retired release is not offered. */
const retiredNote = (c: Pick<TagCandidate, 'name' | 'dist' | 'support'>) =>
  `${c.name} (${c.dist}: retired${c.support.securityEnd ? `, security support ended ${c.support.securityEnd}` : ''})`;

/** What `accelbase tags` offers, and the matching images it left out because their release is retired. */
export interface TagPick {
  candidates: TagCandidate[];
  /** Matching images on a retired release, left out unless asked for (`--include-retired`): why, per image. */
  leftOut: { name: string; reason: string }[];
}

/**
 * Images for `accelbase tags`, newest first; a UserError naming the closest images when none matches.
 * Images on a retired release are never offered unless `includeRetired`: they are named as left out.
 */
export function pickTags(
  plan: Plan,
  model: Pick<Model, 'catalog' | 'images'>,
  query: TagQuery = {},
  o: { includeRetired?: boolean } = {},
): TagPick {
  const images = plan.images.filter((i) => i.kind === 'accelerator');
  const runtimes = runtimeNames(model);
  const q = normalizeQuery(plan, model, runtimes, images, query);
  const scored = images.map((img) => ({ img, ...failuresOf(plan, img, q) }));
  const matching = scored.filter((s) => s.failures.length === 0);
  const hits = o.includeRetired ? matching : matching.filter((s) => !s.img.support.retired);
  const leftOut = matching
    .filter((s) => !hits.includes(s))
    .map((s) => ({ name: s.img.name, reason: retiredNote({ ...s.img, support: s.img.support }) }));
  if (hits.length === 0 && leftOut.length)
    throw new UserError(
      `only images on a retired release match: ${leftOut.map((l) => l.reason).join(', ')}; they are no longer built or updated (--include-retired lists them)`,
    );
  if (hits.length === 0) throw new UserError(noMatch(plan, q, scored));
  const candidates = hits
    .map(({ img, matched }) => {
      const c = candidateOf(plan, runtimes, img);
      return q.runtime && matched ? { ...c, matched } : c;
    })
    .sort(byNewest);
  return { candidates, leftOut };
}

/** Text for `accelbase tags`: per image one line of facts and the FROM line, then what was left out and why. */
export function formatTags(list: TagCandidate[], registry?: string, leftOut: TagPick['leftOut'] = []): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of list) {
    const runtime = c.runtime ? describePackage(c.runtime) : 'no runtime package';
    const matched = c.matched && c.matched.name !== c.runtime?.name ? `; ${describePackage(c.matched)}` : '';
    lines.push(
      `${c.name.padEnd(width)}  ${c.platforms.map(archOf).join(',').padEnd(11)}  ${c.dist.padEnd(8)}  ${runtime}${matched}${c.support.retired ? `  [${retiredNote(c)}]` : c.support.securityEnd ? `  (supported until ${c.support.securityEnd})` : ''}`,
    );
    lines.push(
      c.inRegistry === false
        ? `    # not in ${registry ?? 'the registry'}: no ${c.tag} tag (nor ${c.tag}-YYYYMMDD)`
        : `    ${c.from}`,
    );
    if (c.published?.digest)
      for (const [platform, f] of Object.entries(c.published.platforms))
        lines.push(
          `    # ${platform} ${f.digest}: ${f.packageCount === null ? 'no SBOM' : `${f.packageCount} packages`}, smoke ${f.smoke ?? 'unknown'}`,
        );
  }
  for (const l of leftOut) lines.push(`# left out: ${l.reason}; it is no longer built (--include-retired lists it)`);
  return `${lines.join('\n')}\n`;
}
