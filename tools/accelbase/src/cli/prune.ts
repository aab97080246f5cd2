// `accelbase prune --registry R [--dry-run] [--json]`: delete old build tags by the catalog's retention rule.
import type { RepositoryRetention } from '../plan/retention.js';
import { pruneWorkspace, type PruneOutcome } from '../workflows/prune.js';
import { imageList, plural, printJson, workflowRun, workspace, type Context } from './context.js';

const short = (digest: string) => digest.slice(0, 19);

function describeRepository(r: RepositoryRetention): string {
  const lines = [`${r.repository} (${r.images.join(', ') || 'no image of the catalog'})`];
  for (const t of r.tags.filter((t) => t.stays)) {
    const why = t.keeps ?? r.digests.find((d) => d.digest === t.digest)?.keptBy[0] ?? '';
    lines.push(`  keep    ${t.tag} -> ${short(t.digest)}: ${why}`);
  }
  for (const t of r.tags.filter((t) => !t.stays)) lines.push(`  delete  ${t.tag} -> ${short(t.digest)}`);
  const gone = r.digests.filter((d) => d.deleted);
  const count = (role: string) => gone.filter((d) => d.role === role).length;
  if (gone.length)
    lines.push(
      `  digests deleted: ${plural(count('image'), 'image')}, ${plural(count('platform'), 'platform manifest')}, ${plural(count('referrer') + count('referrers-index'), 'SBOM manifest')}`,
    );
  return `${lines.join('\n')}\n`;
}

export function describePrune(o: PruneOutcome): string {
  const text = o.repositories.map(describeRepository).join('');
  const verb = o.dryRun ? 'would delete' : 'deleted';
  const storage = o.storage
    ? `; storage ${o.storage.bytesBefore} -> ${o.storage.bytesAfter} bytes (${o.storage.freed} freed)`
    : '';
  return `${text}${o.registry}: keeping ${o.keep} build tags per image; ${verb} ${plural(o.deleted, 'manifest')}; tags ${o.tagsBefore} -> ${o.tagsAfter}${storage}\n`;
}

/** The outcome as --json gives it: each repository's images as objects. */
export const pruneJson = (o: PruneOutcome) => ({
  ...o,
  repositories: o.repositories.map((r) => ({ ...r, images: imageList(r.images) })),
});

export async function prune(ctx: Context): Promise<number> {
  const outcome = await pruneWorkspace(workspace(ctx), workflowRun(ctx), { dryRun: ctx.flags['dry-run'] });
  if (ctx.flags.json) printJson(ctx, pruneJson(outcome));
  else ctx.out(describePrune(outcome));
  return 0;
}
