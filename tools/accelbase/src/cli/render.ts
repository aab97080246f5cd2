// `accelbase render [--check]`: write images/*/ and docker-bake.json, or list what is out of date.
// On a tree the render stamp vouches for, neither loads the catalog (see render/stamp.ts).
import { CheckFailed } from '../errors.js';
import { renderTree } from '../workflows/render.js';
import type { Context } from './context.js';
import { printJson } from './print.js';

export async function render(ctx: Context): Promise<number> {
  const r = await renderTree({ catalog: ctx.flags.catalog, registry: ctx.config.registry, check: ctx.flags.check });
  const diff = { changed: r.changed, added: r.added, stale: r.stale };
  if (ctx.flags.check) {
    if (ctx.flags.json) printJson(ctx, { ok: r.touched.length === 0, ...diff });
    if (r.touched.length) {
      const lines = [
        ...r.changed.map((f) => `  changed: ${f}`),
        ...r.added.map((f) => `  missing: ${f}`),
        ...r.stale.map((f) => `  stale:   ${f}`),
      ];
      throw new CheckFailed(`rendered files are out of date; run \`npx accelbase render\`:\n${lines.join('\n')}`);
    }
    if (!ctx.flags.json) ctx.out(`rendered files are up to date (${r.files.length} files)\n`);
    return 0;
  }
  if (ctx.flags.json) printJson(ctx, { files: r.files, ...diff });
  else {
    const lines = [
      ...[...r.added, ...r.changed].sort().map((f) => `wrote ${f}`),
      ...r.stale.map((f) => `removed ${f}`),
    ];
    ctx.out(lines.length ? `${lines.join('\n')}\n` : `up to date (${r.files.length} files)\n`);
  }
  return 0;
}
