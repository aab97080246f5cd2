// `accelbase k8s IMAGE[:TAG]`: a Pod spec fragment placing the image, never privileged.
import { podSpecFor, podSpecYaml } from '../plan/k8s.js';
import { resolveImage } from '../pick/resolve.js';
import { oneArg, printJson, workspace, type Context } from './context.js';

export function k8s(ctx: Context): number {
  const ws = workspace(ctx);
  const { image, tag } = resolveImage(ws.plan, ws.model, oneArg(ctx, 'accelbase k8s IMAGE[:TAG] [--json]'));
  const spec = podSpecFor(image, tag);
  if (ctx.flags.json) printJson(ctx, spec);
  else ctx.out(podSpecYaml(spec));
  return 0;
}
