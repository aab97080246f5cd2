// The local registry builds push to: Debian's docker-registry from the prefix, on loopback only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.js';
import { info } from '../log.js';
import { launchDaemon, pidAlive, waitFor } from './daemon.js';
import { prefixTool, type EnginePaths } from './paths.js';

export const REGISTRY_ADDR = '127.0.0.1:5000';
/** What clients and the state file use; plain HTTP because it listens on loopback only. */
export const REGISTRY_URL = `http://${REGISTRY_ADDR}`;

export function registryConfigText(dataDir: string, addr = REGISTRY_ADDR): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(dataDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${addr}`,
    '',
  ].join('\n');
}

export async function registryAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

/** Start the registry unless one already answers (then it is used as it is, and there is no PID to record). */
export async function startRegistry(paths: EnginePaths): Promise<{ url: string; pid?: number }> {
  const url = REGISTRY_URL;
  if (await registryAnswers(url)) {
    info(`engine: a registry already answers at ${url}; using it`);
    return { url };
  }
  mkdirSync(paths.registryData, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  writeFileSync(paths.registryConfig, registryConfigText(paths.registryData));
  const log = join(paths.logs, 'registry.log');
  const pid = await launchDaemon(prefixTool(paths.prefix, 'docker-registry'), ['serve', paths.registryConfig], {
    cwd: paths.home,
    logFile: log,
    pidFile: paths.registryPidfile,
  });
  await waitFor(
    'docker-registry',
    30_000,
    () => registryAnswers(url),
    () => pidAlive(pid),
    log,
  );
  return { url, pid };
}

/**
 * The registry's garbage collector on its configuration: blobs no manifest references go. Untagged
 * manifests are kept (`--delete-untagged=false`): docker-registry 2.8 counts an index's platform
 * manifests as untagged and would delete them under a tagged index; prune deletes the ones it means
 * to through the API instead. Safe while the registry serves, as long as nothing pushes meanwhile.
 */
export async function collectGarbage(tool: string, config: string): Promise<void> {
  await run(tool, ['garbage-collect', config, '--delete-untagged=false'], { timeoutMs: 60 * 60_000 });
}
