// The engine's state file: which engine `up` started or adopted, how clients reach it, and the
// processes `down` may stop. Read strictly, because `down` sends signals to the PIDs in it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { UserError } from '../errors.js';
import { writeAtomic } from '../lib/fs.js';
import { info } from '../log.js';
import { enginePaths } from './paths.js';

export interface EngineState {
  version: 1;
  /** True when up started dockerd itself; false when it adopted an engine that was already there. */
  managed: boolean;
  dockerHost: string;
  /** The docker client to run against dockerHost. */
  client: string;
  socket?: string;
  registryUrl: string;
  /** Processes up started and down may stop: dockerd, containerd (dockerd's child), registry. */
  pids: Record<string, number>;
  startedAt: string;
}

export function parseState(text: string): EngineState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`engine state file is not JSON: ${(e as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  const bad = (why: string) => new UserError(`engine state file: ${why}`);
  if (!o || typeof o !== 'object' || o.version !== 1) throw bad('unknown version');
  if (typeof o.managed !== 'boolean') throw bad('managed must be a boolean');
  if (typeof o.dockerHost !== 'string' || !o.dockerHost) throw bad('dockerHost missing');
  if (typeof o.client !== 'string' || !o.client) throw bad('client missing');
  if (typeof o.registryUrl !== 'string') throw bad('registryUrl missing');
  if (o.socket !== undefined && typeof o.socket !== 'string') throw bad('socket must be a string');
  const pids: Record<string, number> = {};
  if (!o.pids || typeof o.pids !== 'object') throw bad('pids missing');
  for (const [k, v] of Object.entries(o.pids as Record<string, unknown>)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 1) throw bad(`pid ${k} is not a process id`);
    pids[k] = v;
  }
  return {
    version: 1,
    managed: o.managed,
    dockerHost: o.dockerHost,
    client: o.client,
    socket: o.socket as string | undefined,
    registryUrl: o.registryUrl,
    pids,
    startedAt: typeof o.startedAt === 'string' ? o.startedAt : '',
  };
}

export function formatState(state: EngineState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export function readState(home: string): EngineState | undefined {
  const file = enginePaths(home).state;
  if (!existsSync(file)) return undefined;
  return parseState(readFileSync(file, 'utf8'));
}

/** For up, down and status: a corrupt state file is reported and then treated as absent. */
export function readStateSafe(home: string): EngineState | undefined {
  try {
    return readState(home);
  } catch (e) {
    info(`engine: ignoring unreadable state file: ${(e as Error).message}`);
    return undefined;
  }
}

export function writeState(home: string, state: EngineState): void {
  writeAtomic(enginePaths(home).state, formatState(state));
}

export function clearState(home: string): void {
  rmSync(enginePaths(home).state, { force: true });
}
