// `accelbase plan`: the images in build order, with bases, platforms and tags.
import { printJson, workspace, type Context } from './context.js';

export function plan(ctx: Context): number {
  const p = workspace(ctx).plan;
  if (ctx.flags.json) {
    printJson(ctx, { namespace: p.namespace, images: p.images });
    return 0;
  }
  for (const [i, image] of p.images.entries()) {
    ctx.out(`${i + 1}. ${image.name}  (${image.repository})\n`);
    ctx.out(`   base: ${image.base ? `${image.base.name} (${image.base.ref})` : 'scratch'}\n`);
    ctx.out(`   platforms: ${image.platforms.join(', ')}\n`);
    ctx.out(
      `   tags: ${image.tags.join(', ')}${image.version || image.kind === 'minideb' ? '' : '  (no runtime version locked yet: run `accelbase update`)'}\n`,
    );
  }
  return 0;
}
