// `accelbase validate`: check catalog.yaml and its lock; positioned errors, exit 1.
import { printJson, supportedWorkspace, type Context } from './context.js';

export function validate(ctx: Context): number {
  const { ws, warnings } = supportedWorkspace(ctx);
  const count = ws.model.images.size;
  if (ctx.flags.json)
    printJson(ctx, {
      ok: true,
      catalog: ws.yaml.file,
      images: ws.plan.images.map((i) => ({ name: i.name, project: i.project })),
      warnings,
    });
  else ctx.out(`${ws.yaml.file}: ok (${count} images)\n`);
  return 0;
}
