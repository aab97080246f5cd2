// `accelbase show IMAGE[:TAG]`: base chain, locked packages, device flags, placement, smoke, tags.
import { formatShow } from '../pick/show.js';
import { showWorkspace } from '../workflows/show.js';
import { oneArg, printJson, workspace, type Context } from './context.js';

export function show(ctx: Context): number {
  const ws = workspace(ctx);
  const details = showWorkspace(ws, oneArg(ctx, 'accelbase show IMAGE[:TAG] [--json]'));
  if (ctx.flags.json) printJson(ctx, details);
  else ctx.out(formatShow(details));
  return 0;
}
