// Engine instances, as the run config names them: `--instance` or ACCELBASE_INSTANCE, checked, and
// where an instance's home lies under the default engine's. Here, below engine/, because the run
// config resolves them and engine/ takes the resolved home.
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** Instances live at `<base home>/instances/<name>`; `default` (or none) is the base engine itself. */
export const INSTANCES_DIR = 'instances';
/** Short, so the sockets under an instance's exec root stay well inside the 108-byte unix path limit. */
export const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** The instance `--instance` or ACCELBASE_INSTANCE names, checked; undefined for the default engine. */
export function instanceName(value: string | undefined, source = '--instance'): string | undefined {
  const name = value?.trim();
  if (!name || name === 'default') return undefined;
  if (!INSTANCE_NAME.test(name))
    throw new UserError(
      `${source} ${JSON.stringify(name.slice(0, 40))}: expected 1 to 20 of a-z, 0-9 and '-' (not first or last)`,
      2,
    );
  return name;
}

export function instanceHome(base: string, name: string): string {
  return join(base, INSTANCES_DIR, name);
}
