// Why two builds of one image differ: the first differing layer of a platform's manifest, the config
// fields that differ, and inside a layer the paths whose content or metadata differ. Pure.
import { createHash } from 'node:crypto';
import { tarEntries } from '../lib/tar.js';

export interface PathDifference {
  path: string;
  /** added/removed: only in the rebuilt/published layer; content: the bytes; metadata: what is listed in `fields`. */
  change: 'added' | 'removed' | 'content' | 'metadata';
  fields?: string[];
}

interface Listed {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  link: string;
  sha256: string;
}

function listing(layer: Buffer): Map<string, Listed> {
  const out = new Map<string, Listed>();
  for (const e of tarEntries(layer)) {
    out.set(e.path, {
      type: e.type,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      mtime: e.mtime,
      link: e.link,
      sha256: createHash('sha256').update(e.data).digest('hex'),
    });
  }
  return out;
}

const METADATA = ['type', 'mode', 'uid', 'gid', 'mtime', 'link'] as const;

/** Paths that differ between the published and the rebuilt layer (gzip-compressed or plain tar), sorted. */
export function diffLayers(published: Buffer, rebuilt: Buffer): PathDifference[] {
  const a = listing(published);
  const b = listing(rebuilt);
  const out: PathDifference[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (!x) out.push({ path, change: 'added' });
    else if (!y) out.push({ path, change: 'removed' });
    else if (x.sha256 !== y.sha256) out.push({ path, change: 'content' });
    else {
      const fields = METADATA.filter((f) => x[f] !== y[f]);
      if (fields.length) out.push({ path, change: 'metadata', fields: [...fields] });
    }
  }
  return out;
}

/** The JSON paths (`config.Labels.x`, `history[2].created`) where two image configs differ. */
export function diffConfigs(published: unknown, rebuilt: unknown, at = ''): string[] {
  if (JSON.stringify(published) === JSON.stringify(rebuilt)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (Array.isArray(published) && Array.isArray(rebuilt)) {
    if (published.length !== rebuilt.length) return [at || '(root)'];
    return published.flatMap((v, i) => diffConfigs(v, rebuilt[i], `${at}[${i}]`));
  }
  if (isObject(published) && isObject(rebuilt) && !Array.isArray(published) && !Array.isArray(rebuilt)) {
    const keys = [...new Set([...Object.keys(published), ...Object.keys(rebuilt)])].sort();
    return keys.flatMap((k) => diffConfigs(published[k], rebuilt[k], at ? `${at}.${k}` : k));
  }
  return [at || '(root)'];
}

export interface ManifestLike {
  config?: { digest: string };
  layers?: { digest: string }[];
}

/** Where one platform's rebuilt manifest first departs from the published one. */
export type ManifestComparison =
  | { identical: true }
  | { identical: false; config: boolean; layer?: { index: number; published?: string; rebuilt?: string } };

export function compareManifests(published: ManifestLike, rebuilt: ManifestLike): ManifestComparison {
  const a = published.layers ?? [];
  const b = rebuilt.layers ?? [];
  const index = [...Array(Math.max(a.length, b.length)).keys()].find((i) => a[i]?.digest !== b[i]?.digest);
  const config = published.config?.digest !== rebuilt.config?.digest;
  if (index === undefined && !config) return { identical: true };
  return {
    identical: false,
    config,
    ...(index === undefined ? {} : { layer: { index, published: a[index]?.digest, rebuilt: b[index]?.digest } }),
  };
}
