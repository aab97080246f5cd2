// The package's own version (tools/accelbase/package.json, two folders above src/<folder>, dist/<folder>
// and dist/cli-bundle alike): `--version`, and the tool an SBOM names as its creator.
import { readFileSync } from 'node:fs';

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
