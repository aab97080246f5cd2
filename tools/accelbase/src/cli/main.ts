// The CLI entry: parse, dispatch, and the one place errors become output and an exit code.
import { CatalogError, CheckFailed, ExecError, UserError } from '../errors.js';
import { setLogLevel } from '../log.js';
import { parse, usage } from './args.js';
import type { Context } from './commands.js';

type Command = (ctx: Context) => number | Promise<number>;

// Commands load on first use: `validate` or `render` should not pay for the engine, Nx or docs code.
const table: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands.js')).validate,
  render: async () => (await import('./commands.js')).render,
  plan: async () => (await import('./commands.js')).plan,
  ls: async () => (await import('./commands.js')).ls,
  schema: async () => (await import('./commands.js')).schema,
  update: async () => (await import('./commands.js')).update,
  'rewrite-from': async () => (await import('./commands.js')).rewriteFromCommand,
  affected: async () => (await import('./review-commands.js')).affected,
  diff: async () => (await import('./review-commands.js')).diff,
  engine: async () => (await import('./build-commands.js')).engine,
  build: async () => (await import('./build-commands.js')).build,
  smoke: async () => (await import('./build-commands.js')).smoke,
  rootfs: async () => (await import('./rootfs-command.js')).rootfs,
  publish: async () => (await import('./publish-command.js')).publish,
  nightly: async () => (await import('./nightly-command.js')).nightly,
  tags: async () => (await import('./pick-commands.js')).tags,
  show: async () => (await import('./pick-commands.js')).show,
  k8s: async () => (await import('./pick-commands.js')).k8s,
  variants: async () => (await import('./variants-command.js')).variants,
};

export async function main(argv: string[], out = (t: string) => void process.stdout.write(t), err = (t: string) => void process.stderr.write(t)): Promise<number> {
  try {
    const { command, args, flags } = parse(argv);
    if (flags.debug) setLogLevel('debug');
    else if (flags.quiet || flags.json) setLogLevel(flags.quiet ? 'quiet' : 'info');
    if (flags.help || !command) {
      out(usage);
      return command || flags.help ? 0 : 2;
    }
    const load = table[command];
    if (!load) throw new UserError(`unknown command "${command}"\n\n${usage}`, 2);
    return await (await load())({ command, flags, args, out });
  } catch (e) {
    if (e instanceof CatalogError) {
      err(`${e.message}\n${e.issues.length} error${e.issues.length === 1 ? '' : 's'}\n`);
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
    throw e;
  }
}
