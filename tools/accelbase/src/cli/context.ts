// What every command gets: its parsed flags and arguments, and where to print. Helpers shared by commands.
import type { Platform } from '../catalog/grammar.js';
import type { Run, RunConfig } from '../config/run-config.js';
import { formatIssue, UserError } from '../errors.js';
import { isoDay } from '../lib/date.js';
import { logReporter, warn } from '../log.js';
import { checkLifecycle, openWorkspace, type OpenWorkspace } from '../workflows/workspace.js';
import { splitList, type Flags } from './table/options.js';

export interface Context {
  command: string;
  flags: Flags;
  args: string[];
  out: (text: string) => void;
  /** Every setting from the flags and the environment, resolved once by main. */
  config: RunConfig;
}

export type Command = (ctx: Context) => number | Promise<number>;

export { imageList, printJson } from './print.js';
export { splitList };

/** The workspace named by --catalog, planned under --registry (or ACCELBASE_REGISTRY). */
export const workspace = (ctx: Context): OpenWorkspace =>
  openWorkspace({ catalog: ctx.flags.catalog, registry: ctx.config.registry });

/** What a workflow is given: the run config, and the reporter that prints its progress. */
export const workflowRun = (ctx: Context): Run => ({ config: ctx.config, reporter: logReporter });

/** `--platform`, repeated or comma-separated (each one checked by parse to be a Platform). */
export const platformsFlag = (ctx: Context): Platform[] => splitList(ctx.flags.platform) as Platform[];

/** Exactly one positional argument, else the usage line. */
export function oneArg(ctx: Context, usage: string): string {
  if (ctx.args.length !== 1) throw new UserError(`usage: ${usage}`, 2);
  return ctx.args[0];
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The workspace, refused when an image is on a release past its security support; the images within
 * the warning window are warned about on stderr and returned (for --json).
 */
export function supportedWorkspace(ctx: Context): { ws: OpenWorkspace; warnings: string[] } {
  const ws = workspace(ctx);
  const warnings = checkLifecycle(ws, isoDay()).map(formatIssue);
  for (const w of warnings) warn(w);
  return { ws, warnings };
}
