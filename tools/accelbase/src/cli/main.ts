// The CLI entry: parse, dispatch, and the one place errors become output and an exit code.
import { resolveRunConfig } from '../config/run-config.js';
import { CatalogError, CheckFailed, ExecError, UserError } from '../errors.js';
import { packageVersion } from '../lib/version.js';
import { debug, setLogLevel } from '../log.js';
import { parse } from './args.js';
import { commandSpec } from './table/commands.js';
import { commandHelp, globalHelp, unknownCommand } from './table/help.js';

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
    if (command === 'help') {
      // `accelbase help [COMMAND]`: the global help, or that command's.
      if (args.length > 1) throw new UserError('usage: accelbase help [COMMAND]', 2);
      if (args.length && !commandSpec(args[0])) throw new UserError(unknownCommand(args[0]), 2);
      out(args.length ? commandHelp(args[0]) : globalHelp());
      return 0;
    }
    if (!command) {
      out(globalHelp());
      return flags.help ? 0 : 2;
    }
    const spec = commandSpec(command);
    if (!spec) throw new UserError(unknownCommand(command), 2);
    if (flags.help) {
      out(commandHelp(command));
      return 0;
    }
    // The one read of the environment: every setting below the CLI comes from this config.
    const config = resolveRunConfig(flags, process.env);
    setLogLevel(config.logLevel);
    return await (await spec.load())({ command, flags, args, out, config });
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
