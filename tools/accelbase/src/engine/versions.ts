// Versions and platforms read out of docker and buildx output.
import semver from 'semver';

/** buildx older than this lacks bake features the builder relies on (e.g. the `network` key). */
export const MIN_BUILDX = '0.14.0';

/** The first x.y.z in a `--version` line; Debian suffixes (`+ds1-1`) and a leading `v` are dropped. */
export function parseVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+(?:\.\d+)?)/.exec(text);
  return m ? semver.coerce(m[1])?.version : undefined;
}

/** `github.com/docker/buildx 0.29.1+ds1 <commit>`: skip the module path, which has no version in it. */
export function parseBuildxVersion(text: string): string | undefined {
  return parseVersion(text.replace(/^\S+\s*/, ''));
}

export function versionAtLeast(version: string | undefined, min: string): boolean {
  const v = version ? semver.coerce(version) : null;
  return v !== null && semver.gte(v, min);
}

/** `docker buildx inspect` prints `Platforms: linux/amd64, linux/amd64/v2*, ...` (a `*` marks user-set ones). */
export function parsePlatforms(inspect: string): string[] {
  const out = new Set<string>();
  for (const line of inspect.split('\n')) {
    const m = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const p of m[1].split(',')) {
      const name = p.trim().replace(/\*$/, '');
      if (name) out.add(name);
    }
  }
  return [...out];
}

export interface BuilderNode {
  name: string;
  endpoint?: string;
  status?: string;
  buildkit?: string;
  platforms: string[];
}

export interface BuilderInfo {
  name: string;
  driver?: string;
  nodes: BuilderNode[];
}

/** `docker buildx inspect [NAME]`: the builder, its driver, and each node with its platforms. */
export function parseBuilder(inspect: string): BuilderInfo | undefined {
  let builder: BuilderInfo | undefined;
  let node: BuilderNode | undefined;
  let inNodes = false;
  for (const line of inspect.split('\n')) {
    if (/^Nodes:\s*$/.test(line)) {
      inNodes = true;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (!inNodes) {
      if (key === 'Name') builder = { name: value.trim(), nodes: [] };
      else if (key === 'Driver' && builder) builder.driver = value.trim();
      continue;
    }
    if (key === 'Name') {
      node = { name: value.trim(), platforms: [] };
      builder?.nodes.push(node);
    } else if (node && key === 'Endpoint') node.endpoint = value.trim();
    else if (node && key === 'Status') node.status = value.trim();
    else if (node && key === 'BuildKit version') node.buildkit = value.trim();
    else if (node && key === 'Platforms') node.platforms = parsePlatforms(line);
  }
  return builder;
}
