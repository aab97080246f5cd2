// `accelbase ls`: one line per image.
import { archOf } from '../catalog/platform.js';
import { printJson, workspace, type Context } from './context.js';

export function ls(ctx: Context): number {
  const p = workspace(ctx).plan;
  if (ctx.flags.json) {
    printJson(ctx, {
      images: p.images.map((i) => ({
        name: i.name,
        repository: i.repository,
        platforms: i.platforms,
        tags: i.tags,
        support: i.support,
      })),
    });
    return 0;
  }
  const width = Math.max(...p.images.map((i) => i.name.length));
  for (const i of p.images)
    ctx.out(
      `${i.name.padEnd(width)}  ${i.platforms.map(archOf).join(',').padEnd(11)}  ${i.repository}:${i.tags.join(',')}\n`,
    );
  return 0;
}
