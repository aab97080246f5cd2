// `accelbase k8s IMAGE[:TAG]`: a Pod spec fragment placing the image, never privileged.
import { podSpecYaml } from '../plan/k8s.js';
import { podSpecWorkspace } from '../workflows/k8s.js';
import { oneArg, printJson, workspace, type Context } from './context.js';

export function k8s(ctx: Context): number {
  const ws = workspace(ctx);
  const spec = podSpecWorkspace(ws, oneArg(ctx, 'accelbase k8s IMAGE[:TAG] [--json]'));
  if (ctx.flags.json) printJson(ctx, spec);
  else ctx.out(podSpecYaml(spec));
  return 0;
}
