// A registry login for one command, as SODALITE files carry it: a temporary DOCKER_CONFIG whose
// config.json holds only that login (mode 0600), the engine's CLI plugins and buildx state linked in,
// removed afterwards. The credentials are never printed, logged or passed on a command line.
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Login {
  host: string;
  username: string;
  password: string;
}

/** docker's own name for Docker Hub in config.json. */
const authKey = (host: string) =>
  host === 'docker.io' || host === 'index.docker.io' ? 'https://index.docker.io/v1/' : host;

/** Run `fn` with env.DOCKER_CONFIG pointing at a temporary config holding `login`; removed whatever happens. */
export async function withTemporaryLogin<T>(
  login: Login,
  baseConfig: string | undefined,
  fn: (dockerConfig: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-login-'));
  try {
    chmodSync(dir, 0o700);
    for (const keep of ['cli-plugins', 'buildx'])
      if (baseConfig && existsSync(join(baseConfig, keep))) symlinkSync(join(baseConfig, keep), join(dir, keep));
    const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [authKey(login.host)]: { auth } } }), {
      mode: 0o600,
    });
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
