// `accelbase show IMAGE[:TAG]`: base chain, locked packages, device flags, placement, smoke, tags.
import { formatShow, showImage } from '../pick/show.js';
import { oneArg, printJson, workspace, type Context } from './context.js';

export function show(ctx: Context): number {
  const ws = workspace(ctx);
  const details = showImage(ws.plan, ws.model, oneArg(ctx, 'accelbase show IMAGE[:TAG] [--json]'), ws.lock);
  if (ctx.flags.json) printJson(ctx, details);
  else ctx.out(formatShow(details));
  return 0;
}
