// `accelbase plan`: the images in build order, with bases, platforms and tags.
import type { PlannedImage } from '../plan/plan.js';
import { printJson, supportedWorkspace, type Context } from './context.js';

export function plan(ctx: Context): number {
  const { ws, warnings } = supportedWorkspace(ctx);
  const p = ws.plan;
  if (ctx.flags.json) {
    printJson(ctx, { namespace: p.namespace, images: p.images, warnings });
    return 0;
  }
  for (const [i, image] of p.images.entries()) {
    ctx.out(`${i + 1}. ${image.name}  (${image.repository})\n`);
    ctx.out(`   base: ${image.base ? `${image.base.name} (${image.base.ref})` : 'scratch'}\n`);
    ctx.out(`   platforms: ${image.platforms.join(', ')}\n`);
    ctx.out(`   ${supportLine(image)}\n`);
    ctx.out(
      `   tags: ${image.tags.join(', ')}${image.version || image.kind === 'minideb' ? '' : '  (no runtime version locked yet: run `accelbase update`)'}\n`,
    );
  }
  return 0;
}

/** The release's support end, and whether the catalog retired it. */
export function supportLine(image: PlannedImage): string {
  const { support } = image;
  const end = support.securityEnd
    ? `security support until ${support.securityEnd}`
    : 'support end not locked yet (run `accelbase update`)';
  return `debian ${support.debian} (${image.dist}): ${support.retired ? `retired, not built; ${end}` : end}`;
}
