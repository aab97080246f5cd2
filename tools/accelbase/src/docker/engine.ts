// What every docker client module needs of the engine: the CLI binary and the environment that
// points it at the daemon and at the buildx plugin.
export interface DockerEngine {
  docker: string;
  env: Record<string, string>;
}
