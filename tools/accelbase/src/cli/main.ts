// The CLI entry: parse, dispatch, and the one place errors become output and an exit code.
import { resolveRunConfig } from '../config/run-config.js';
import { CatalogError, CheckFailed, errorEnvelope, ExecError, UserError } from '../errors.js';
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
  // Under --json stdout holds one JSON document: a command that printed its result before it failed
  // (render --check's list of differences) gets no error envelope after it.
  let printed = false;
  const write = (t: string) => {
    printed = true;
    out(t);
  };
  try {
    const { command, args, flags } = parse(argv);
    if (flags.version && !command) {
      out(flags.json ? `${JSON.stringify({ version: version() })}\n` : `accelbase ${version()}\n`);
      return 0;
    }
    if (command === 'help') {
      // `accelbase help [COMMAND]`: the global help, or that command's.
      if (args.length > 1) throw new UserError('usage: accelbase help [COMMAND]', 2);
      if (args.length && !commandSpec(args[0])) throw unknownCommand(args[0]);
      out(args.length ? commandHelp(args[0]) : globalHelp());
      return 0;
    }
    if (!command) {
      if (flags.json && !flags.help) throw new UserError('no command given; `accelbase help` lists them', 2);
      out(globalHelp());
      return flags.help ? 0 : 2;
    }
    const spec = commandSpec(command);
    if (!spec) throw unknownCommand(command);
    if (flags.help) {
      out(commandHelp(command));
      return 0;
    }
    // The one read of the environment: every setting below the CLI comes from this config.
    const config = resolveRunConfig(flags, process.env);
    setLogLevel(config.logLevel);
    return await (await spec.load())({ command, flags, args, out: write, config });
  } catch (e) {
    // People read stderr; with --json, programs read the same errors as the one envelope on stdout.
    const code = explain(e, err);
    if (wantsJson(argv) && !printed) out(`${JSON.stringify(errorEnvelope(e), null, 2)}\n`);
    return code;
  }
}

/** `--json` among the options (before any `--`), read from argv itself: a usage error comes before flags exist. */
const wantsJson = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
};

/** An error for people, on stderr; returns the exit code. */
function explain(e: unknown, err: (t: string) => void): number {
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
