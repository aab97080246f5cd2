// Long-running processes the engine starts and stops (dockerd, docker-registry): launching them
// detached, waiting until they answer, and telling our PIDs from reused ones.
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { run, tail } from '../exec.js';
import { info } from '../log.js';
import { argOfHome } from './paths.js';

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/**
 * A recorded PID counts as ours only while its command line still names a file of this engine's own
 * folder (PIDs get reused; the default engine and its instances run the same prefix binaries).
 */
export function pidIsOurs(pid: number, home: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((a) => argOfHome(a, home));
  } catch {
    return false;
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; true when the PID was ours and got a signal. */
export async function stopPid(name: string, pid: number, home: string, graceMs: number): Promise<boolean> {
  if (!pidAlive(pid) || !pidIsOurs(pid, home)) return false;
  info(`engine: stopping ${name} (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await sleep(200);
  }
  if (pidAlive(pid)) {
    info(`engine: ${name} (pid ${pid}) did not exit; sending SIGKILL`);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 25 && pidAlive(pid); i++) await sleep(200);
  }
  return true;
}

/** Poll `check` until it holds; fail early when the process died, with the tail of its log. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  alive: () => boolean,
  log: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (!alive()) break;
    await sleep(500);
  }
  let logTail = '';
  try {
    logTail = tail(readFileSync(log, 'utf8'), 25);
  } catch {
    /* no log */
  }
  throw new UserError(`engine: ${what} did not come up (see ${log})${logTail ? `\n${logTail}` : ''}`);
}

/**
 * Start a daemon that outlives this process, with its output going straight to `logFile`.
 * Not a detached execa child: execa writes a `{ file }` target through a stream in this process, so the
 * parent cannot exit while the daemon runs (`engine up` would hang) and, once it does exit, the daemon's
 * stdout/stderr are broken pipes (Go daemons then die of SIGPIPE on their next log line).
 * start-stop-daemon (dpkg, on every Debian host) opens the log itself, detaches, and records the PID.
 */
export async function launchDaemon(
  file: string,
  args: readonly string[],
  opts: { cwd: string; logFile: string; pidFile: string; env?: Record<string, string> },
): Promise<number> {
  rmSync(opts.pidFile, { force: true });
  const ssd = [
    '--start',
    '--background',
    '--make-pidfile',
    '--pidfile',
    opts.pidFile,
    '--output',
    opts.logFile,
    '--chdir',
    opts.cwd,
  ];
  await run('start-stop-daemon', [...ssd, '--startas', file, '--', ...args], { env: opts.env, timeoutMs: 30_000 });
  // The detached grandchild writes the pidfile; it may land just after start-stop-daemon returns.
  for (let i = 0; i < 50; i++) {
    const pid = readPid(opts.pidFile);
    if (pid) return pid;
    await sleep(100);
  }
  throw new UserError(`engine: ${file} was started but wrote no pid to ${opts.pidFile} (see ${opts.logFile})`);
}
