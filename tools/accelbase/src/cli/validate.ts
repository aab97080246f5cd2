// `accelbase validate`: check catalog.yaml and its lock; positioned errors, exit 1.
import { printJson, workspace, type Context } from './context.js';

export function validate(ctx: Context): number {
  const ws = workspace(ctx);
  const count = ws.model.images.size;
  if (ctx.flags.json) printJson(ctx, { ok: true, catalog: ws.yaml.file, images: count });
  else ctx.out(`${ws.yaml.file}: ok (${count} images)\n`);
  return 0;
}
