// The CLI entry: parse, dispatch, and the one place errors become output and an exit code.
import { resolveRunConfig } from '../config/run-config.js';
import { CatalogError, CheckFailed, ExecError, UserError } from '../errors.js';
import { packageVersion } from '../lib/version.js';
import { debug, setLogLevel } from '../log.js';
import { parse, usage } from './args.js';
import type { Command } from './context.js';

// Commands load on first use: `validate` or `render` should not pay for the engine, Nx or docs code.
const table: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate.js')).validate,
  render: async () => (await import('./render.js')).render,
  plan: async () => (await import('./plan.js')).plan,
  ls: async () => (await import('./ls.js')).ls,
  schema: async () => (await import('./schema.js')).schema,
  update: async () => (await import('./update.js')).update,
  'rewrite-from': async () => (await import('./rewrite-from.js')).rewriteFromCommand,
  affected: async () => (await import('./affected.js')).affected,
  diff: async () => (await import('./diff.js')).diff,
  engine: async () => (await import('./engine.js')).engine,
  build: async () => (await import('./build.js')).build,
  merge: async () => (await import('./merge.js')).merge,
  smoke: async () => (await import('./smoke.js')).smoke,
  rootfs: async () => (await import('./rootfs.js')).rootfs,
  publish: async () => (await import('./publish.js')).publish,
  verify: async () => (await import('./verify.js')).verify,
  nightly: async () => (await import('./nightly.js')).nightly,
  outdated: async () => (await import('./outdated.js')).outdated,
  tags: async () => (await import('./tags.js')).tags,
  show: async () => (await import('./show.js')).show,
  k8s: async () => (await import('./k8s.js')).k8s,
  variants: async () => (await import('./variants.js')).variants,
  sbom: async () => (await import('./sbom.js')).sbom,
  docs: async () => (await import('./docs.js')).docs,
};

/** Every command's name (args.ts keeps the options each takes, for every one of these). */
export const commandNames = Object.keys(table);

/** The package's own version (lib/version.ts). */
export const version = packageVersion;

export async function main(
  argv: string[],
  out = (t: string) => void process.stdout.write(t),
  err = (t: string) => void process.stderr.write(t),
): Promise<number> {
  try {
    const { command, args, flags } = parse(argv);
    if (flags.version && !command) {
      out(flags.json ? `${JSON.stringify({ version: version() })}\n` : `accelbase ${version()}\n`);
      return 0;
    }
    if (flags.help || !command) {
      out(usage);
      return command || flags.help ? 0 : 2;
    }
    const load = Object.hasOwn(table, command) ? table[command] : undefined;
    if (!load) throw new UserError(`unknown command "${command}"\n\n${usage}`, 2);
    // The one read of the environment: every setting below the CLI comes from this config.
    const config = resolveRunConfig(flags, process.env);
    setLogLevel(config.logLevel);
    return await (await load())({ command, flags, args, out, config });
  } catch (e) {
    if (e instanceof CatalogError) {
      const count = e.issues.length + e.omitted;
      err(
        `${e.message}\n${count} error${count === 1 ? '' : 's'}${e.omitted ? ` (the first ${e.issues.length} shown)` : ''}\n`,
      );
      return 1;
    }
    if (e instanceof CheckFailed || e instanceof ExecError) {
      err(`${e.message}\n`);
      return 1;
    }
    if (e instanceof UserError) {
      err(`accelbase: ${e.message}\n`);
      return e.exitCode;
    }
    // A bug, not bad input: still one line, never a stack trace (unless --debug asked for one).
    err(`accelbase: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    debug(e instanceof Error && e.stack ? e.stack : String(e));
    return 70;
  }
}
