// Printing for machines, in a module of its own so a command can print without loading the workspace
// (render on a stamped tree: see render/stamp.ts).
import type { Context } from './context.js';

export const printJson = (ctx: Context, value: unknown) => ctx.out(`${JSON.stringify(value, null, 2)}\n`);
