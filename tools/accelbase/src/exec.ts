// The only module that spawns processes: argument arrays, never shell strings, full command line at debug.
import type { Options } from 'execa';
import { ExecError } from './errors.js';
import { debug } from './log.js';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string | Uint8Array;
  /** Stream the child's stdout/stderr to ours (progress) instead of capturing them. */
  inherit?: boolean;
  /** Capture and also stream both to our stderr (progress the caller parses afterwards); stdout stays clean. */
  tee?: boolean;
  /** With tee: what each stderr line is shown and kept as (a progress renderer); its lines, in order. */
  renderStderr?: (line: string) => Iterable<string>;
  /** Milliseconds before the child is killed. */
  timeoutMs?: number;
  /** Resolve instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const quote = (arg: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map(quote).join(' ');
}

export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** execa's line transform for a renderer: what it yields is both streamed and captured. */
const rendered = (render?: (line: string) => Iterable<string>) =>
  render
    ? [
        function* (line: unknown) {
          yield* render(String(line));
        },
      ]
    : [];

function execaOptions(opts: RunOptions): Options {
  return {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    stdout: opts.inherit ? 'inherit' : opts.tee ? ['pipe', process.stderr] : 'pipe',
    stderr: opts.inherit ? 'inherit' : opts.tee ? [...rendered(opts.renderStderr), 'pipe', 'inherit'] : 'pipe',
    timeout: opts.timeoutMs,
    reject: false,
    // A child's own children die with it on Ctrl-C / SIGTERM: execa kills the process, and
    // cleanup:true makes it do so when we exit.
    cleanup: true,
    forceKillAfterDelay: 5000,
  };
}

// execa and its ~130 modules load on the first spawn: commands that spawn nothing (render, validate,
// plan) start close to bare Node.
let execaModule: Promise<typeof import('execa')> | undefined;

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const cmd = commandLine(file, args);
  debug(`exec: ${cmd}`);
  const { execa } = await (execaModule ??= import('execa'));
  const result = await execa(file, [...args], execaOptions(opts));
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const exitCode = result.exitCode ?? (result.failed ? 1 : 0);
  if (result.failed && !opts.allowFailure) {
    const why = result.timedOut ? `timed out after ${opts.timeoutMs} ms\n` : '';
    const missing = (result as { code?: string }).code === 'ENOENT' ? `${file}: not found\n` : '';
    throw new ExecError(cmd, result.exitCode, missing + why + tail(stderr || stdout), result.signal);
  }
  return { exitCode, stdout, stderr, timedOut: Boolean(result.timedOut) };
}
