// Running one bake target: the argument list, and reading back what buildx reported. Pure.
import type { PlannedImage } from '../plan/plan.js';

export interface BakeRunOptions {
  bakeFile: string;
  metadataFile: string;
  platforms: string[];
  tags: string[];
  output: 'push' | 'load' | 'cache';
  /**
   * When the engine has no bridge network: a bake file setting `network: host` on every target
   * (the committed file stays portable). buildx 0.29 drops `--set *.network=host`: it prints the
   * override as an empty network, and RUN steps then fail with "network bridge not found".
   */
  hostNetworkFile?: string;
  created: string;
  noCache?: boolean;
  /** Base image reference -> the exact image just built for it, so bake need not rebuild the chain. */
  baseOverride?: { ref: string; image: string };
}

export function bakeArgs(image: PlannedImage, o: BakeRunOptions): string[] {
  const t = image.name;
  const args = ['buildx', 'bake', '--file', o.bakeFile];
  if (o.hostNetworkFile) args.push('--file', o.hostNetworkFile, '--allow', 'network.host');
  args.push('--progress', 'plain', '--metadata-file', o.metadataFile);
  args.push('--set', `*.platform=${o.platforms.join(',')}`);
  for (const tag of o.tags) args.push('--set', `${t}.tags=${tag}`);
  args.push('--set', `${t}.labels.org.opencontainers.image.created=${o.created}`);
  if (o.baseOverride) args.push('--set', `${t}.contexts.${o.baseOverride.ref}=docker-image://${o.baseOverride.image}`);
  if (o.noCache) args.push('--no-cache');
  if (o.output === 'push') args.push('--push');
  if (o.output === 'load') args.push('--load');
  args.push(t);
  return args;
}

/**
 * From buildx's plain progress: did every build step come from the cache? Steps are the vertices
 * named like `[linux/amd64 2/3] RUN ...`; internal ones (metadata, context) don't count.
 */
export function allStepsCached(progress: string): boolean {
  const steps = new Set<string>();
  const cached = new Set<string>();
  for (const line of progress.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    if (/^\[[^\]]*\d+\/\d+\] /.test(rest)) steps.add(id);
    else if (rest === 'CACHED') cached.add(id);
  }
  return steps.size > 0 && [...steps].every((id) => cached.has(id));
}

/** The image (index) digest buildx wrote for `target` to --metadata-file. */
export function metadataDigest(metadata: unknown, target: string): string | undefined {
  const entry = (metadata as Record<string, Record<string, unknown>> | null)?.[target];
  const digest = entry?.['containerimage.digest'];
  return typeof digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : undefined;
}

/** The override bake file that puts every target on the host network. */
export function hostNetworkBake(targets: string[]): string {
  return `${JSON.stringify({ target: Object.fromEntries(targets.map((t) => [t, { network: 'host' }])) }, null, 2)}\n`;
}
