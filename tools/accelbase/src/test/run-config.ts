// Run configs for the engine tier: the environment it runs in (ACCELBASE_ENGINE_HOME and the rest),
// resolved as the CLI resolves it.
import { resolveRunConfig, type RunConfig } from '../config/run-config.js';

/** The run config of this process's environment. */
export const envConfig = (): RunConfig => resolveRunConfig({}, process.env);

/** The same, for the engine at `home` (an instance's, or the default one's). */
export const engineAt = (home: string): RunConfig => ({ ...envConfig(), engineHome: home });

/**
 * Where an engine test pushes: `<ACCELBASE_ITG_REGISTRY or 127.0.0.1:5000>/<name>`, so sessions
 * sharing one registry can keep to namespaces of their own.
 */
export const itgRegistry = (name: string): string =>
  `${process.env.ACCELBASE_ITG_REGISTRY ?? '127.0.0.1:5000'}/${name}`;
