// The CLI entry: parse, dispatch, and the one place errors become output and an exit code.
import { CatalogError, CheckFailed, ExecError, UserError } from '../errors.js';
import { setLogLevel } from '../log.js';
import { parse, usage } from './args.js';
import * as buildCommands from './build-commands.js';
import * as commands from './commands.js';
import * as pickCommands from './pick-commands.js';
import * as reviewCommands from './review-commands.js';
import { nightly } from './nightly-command.js';
import { publish } from './publish-command.js';
import { rootfs } from './rootfs-command.js';
import { variants } from './variants-command.js';
import type { Context } from './commands.js';

type Command = (ctx: Context) => number | Promise<number>;

const table: Record<string, Command> = {
  validate: commands.validate,
  render: commands.render,
  plan: commands.plan,
  ls: commands.ls,
  schema: commands.schema,
  update: commands.update,
  affected: reviewCommands.affected,
  diff: reviewCommands.diff,
  'rewrite-from': commands.rewriteFromCommand,
  engine: buildCommands.engine,
  rootfs,
  build: buildCommands.build,
  smoke: buildCommands.smoke,
  publish,
  nightly,
  tags: pickCommands.tags,
  show: pickCommands.show,
  k8s: pickCommands.k8s,
  variants,
};

export function registerCommand(name: string, command: Command): void {
  table[name] = command;
}

export async function main(argv: string[], out = (t: string) => void process.stdout.write(t), err = (t: string) => void process.stderr.write(t)): Promise<number> {
  try {
    const { command, args, flags } = parse(argv);
    if (flags.debug) setLogLevel('debug');
    else if (flags.quiet || flags.json) setLogLevel(flags.quiet ? 'quiet' : 'info');
    if (flags.help || !command) {
      out(usage);
      return command || flags.help ? 0 : 2;
    }
    const fn = table[command];
    if (!fn) throw new UserError(`unknown command "${command}"\n\n${usage}`, 2);
    return await fn({ command, flags, args, out });
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
