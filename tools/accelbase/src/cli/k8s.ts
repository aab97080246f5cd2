// `accelbase k8s IMAGE[:TAG]`: a Pod spec fragment placing the image, never privileged, and the
// device plugin its node must run.
import { placementYaml } from '../plan/k8s.js';
import { placementWorkspace } from '../workflows/k8s.js';
import { oneArg, printJson, workspace, type Context } from './context.js';

export function k8s(ctx: Context): number {
  const ws = workspace(ctx);
  const placement = placementWorkspace(ws, oneArg(ctx, 'accelbase k8s IMAGE[:TAG] [--json]'));
  if (ctx.flags.json) printJson(ctx, placement);
  else ctx.out(placementYaml(placement));
  return 0;
}
