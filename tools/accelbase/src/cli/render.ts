// `accelbase render [--check]`: write images/*/ and docker-bake.json, or list what is out of date.
// On a tree the render stamp vouches for, neither loads the catalog (see render/stamp.ts).
import { workspaceFor } from '../catalog/workspace-paths.js';
import { CheckFailed } from '../errors.js';
import { buildId, inputKey, stampHolds, writeStamp } from '../render/stamp.js';
import type { Context } from './context.js';
import { printJson } from './print.js';

interface Outcome {
  files: number;
  changed: string[];
  added: string[];
  stale: string[];
  touched: string[];
}

async function renderInFull(ctx: Context): Promise<Outcome & { rendered: ReadonlyMap<string, string> }> {
  const [{ workspace }, { renderToDisk }] = await Promise.all([
    import('./context.js'),
    import('../render/pipeline.js'),
  ]);
  const ws = workspace(ctx);
  return renderToDisk(ws.root, ws.model, ws.lock, !ctx.flags.check);
}

export async function render(ctx: Context): Promise<number> {
  const paths = workspaceFor(ctx.flags.catalog);
  const code = buildId();
  const key = code === undefined ? undefined : inputKey(code, paths);
  const vouched = key === undefined ? undefined : stampHolds(paths, key);
  let r: Outcome;
  if (vouched !== undefined) r = { files: vouched, changed: [], added: [], stale: [], touched: [] };
  else {
    const full = await renderInFull(ctx);
    // The tree now matches the render (written, or found current by --check): remember that.
    if (key !== undefined && (!ctx.flags.check || full.touched.length === 0)) writeStamp(paths, key, full.rendered);
    r = full;
  }
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
    if (!ctx.flags.json) ctx.out(`rendered files are up to date (${r.files} files)\n`);
    return 0;
  }
  if (ctx.flags.json) printJson(ctx, { files: r.files, ...diff });
  else {
    const lines = [
      ...[...r.added, ...r.changed].sort().map((f) => `wrote ${f}`),
      ...r.stale.map((f) => `removed ${f}`),
    ];
    ctx.out(lines.length ? `${lines.join('\n')}\n` : `up to date (${r.files} files)\n`);
  }
  return 0;
}
