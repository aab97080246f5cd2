// Progress and debug lines go to stderr so stdout stays machine-readable (--json).
import type { Reporter } from './reporter.js';

export type LogLevel = 'debug' | 'info' | 'quiet';

// The CLI sets it from the run config (--debug, --quiet, ACCELBASE_LOG) before a command runs.
let level: LogLevel = 'info';

export function setLogLevel(next: LogLevel): void {
  level = next;
}

export function debug(message: string): void {
  if (level === 'debug') process.stderr.write(`debug: ${message}\n`);
}

export function info(message: string): void {
  if (level !== 'quiet') process.stderr.write(`${message}\n`);
}

/** Something the user should know that does not stop the command. */
export function warn(message: string): void {
  info(`warning: ${message}`);
}

/** The Reporter commands pass to workflows: progress and warnings on stderr. */
export const logReporter: Reporter = { step: info, info, warn };
