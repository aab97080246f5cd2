// `accelbase variants FILE`: one application Dockerfile, one image per base, built with bake.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { readBuildResults as readResults } from '../workflows/state.js';
import { hasBridgeNetwork, requireEngine } from '../engine/engine.js';
import { unreachableImages } from '../workflows/preflight.js';
import { hostNetworkBake } from '../docker/bake.js';
import type { Platform } from '../catalog/grammar.js';
import { issueAt } from '../catalog/yaml-doc.js';
import { CatalogError, ExecError, RewriteError, UserError } from '../errors.js';
import { run } from '../exec.js';
import { info } from '../log.js';
import { selectWithBases } from '../plan/plan.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';
import { appBake, resolveVariants } from '../variants/app-bake.js';
import { parseVariantsFile, type VariantsFile } from '../variants/file.js';
import { splitList } from './args.js';
import { load, planFor, printJson, type Context } from './commands.js';
import { ensureRootfs } from '../rootfs/ensure.js';

/** A local context, or a git clone in a temporary folder (removed afterwards). */
async function checkout(vf: VariantsFile, fileDir: string, tmp: string): Promise<{ context: string; dockerfile: string }> {
  const src = vf.source;
  if (src.kind === 'local') {
    const context = resolve(fileDir, src.context);
    return { context, dockerfile: resolve(vf.format === 'sodalite' ? fileDir : context, src.dockerfile) };
  }
  const dir = join(tmp, 'source');
  const urlPath = vf.format === 'sodalite' ? ['source', 'git_repo', 'url'] : ['source', 'git', 'url'];
  info(`cloning ${src.url} (${src.ref})`);
  const args = src.ref === 'HEAD' ? ['clone', '--quiet', '--depth', '1', src.url, dir] : ['clone', '--quiet', '--depth', '1', '--branch', src.ref, src.url, dir];
  const r = await run('git', args, { allowFailure: true, timeoutMs: 300_000, env: { GIT_TERMINAL_PROMPT: '0' } });
  if (r.exitCode !== 0) {
    throw new CatalogError([issueAt(vf.yaml, urlPath, `cannot clone ${src.url} at ${src.ref}: ${r.stderr.split('\n').find((l) => l.startsWith('fatal:')) ?? r.stderr.trim().split('\n').pop()}`)]);
  }
  const context = join(dir, src.subdir);
  return { context, dockerfile: join(context, src.dockerfile) };
}

export async function variants(ctx: Context): Promise<number> {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1) throw new UserError('usage: accelbase variants FILE [--push] [--registry NS] [--platform P] [--json]', 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read variants file ${file}`);
  }
  const vf = parseVariantsFile(relative(process.cwd(), resolve(file)) || file, text);
  const loaded = load(ctx);
  const plan = planFor(ctx, loaded);
  const catalogNs = loaded.model.catalog.registry.namespace;
  const published = new Map(readResults(loaded.ws.root).filter((r) => r.digest).map((r) => [r.image, `${r.repository}@${r.digest}`]));
  const platformFlag = splitList(ctx.flags.platform) as Platform[];
  const resolved = await resolveVariants(vf, {
    plan,
    catalogNamespace: catalogNs,
    platforms: platformFlag,
    publishedRef: (image) => (published.get(image.name)?.startsWith(`${image.repository}@`) ? published.get(image.name) : undefined),
    externalPlatforms: async (ref) => {
      try {
        const [repo, tag = 'latest'] = ref.split(/:(?=[^/]*$)/);
        return indexPlatforms((await getManifest(repo, tag)).body) as Platform[];
      } catch {
        return undefined;
      }
    },
  });

  // Catalog bases built in the same bake must be buildable here.
  const chain = selectWithBases(plan, [...new Set(resolved.filter((v) => v.baseSource.startsWith('target:')).map((v) => v.catalogImage!.name))]);
  const skips = await unreachableImages(chain, loaded.model.catalog);
  const blocked = resolved.filter((v) => v.catalogImage && v.baseSource.startsWith('target:') && skips.has(v.catalogImage.name));
  if (blocked.length) {
    throw new CatalogError(
      blocked.map((v) => {
        const i = vf.variants.findIndex((s) => s.tag === v.tag && s.image === v.image);
        return issueAt(vf.yaml, [...vf.variants[i].path, 'base'], `base ${v.catalogImage!.name} cannot be built here: ${skips.get(v.catalogImage!.name)}`);
      }),
    );
  }

  const tmp = mkdtempSync(join(tmpdir(), 'accelbase-variants-'));
  try {
    const src = await checkout(vf, dirname(resolve(file)), tmp);
    let dockerfileText: string;
    try {
      dockerfileText = readFileSync(src.dockerfile, 'utf8');
    } catch {
      throw new CatalogError([issueAt(vf.yaml, ['source'], `no Dockerfile at ${src.dockerfile}`)]);
    }
    let app: ReturnType<typeof appBake>;
    try {
      app = appBake(dockerfileText, { context: src.context, dockerfile: src.dockerfile, stage: vf.stage }, resolved);
    } catch (e) {
      if (!(e instanceof RewriteError)) throw e;
      const shown = src.dockerfile.startsWith(tmp) ? relative(join(tmp, 'source'), src.dockerfile) : relative(process.cwd(), src.dockerfile);
      throw new CatalogError([{ file: shown, ...(e.position ?? { line: 1, column: 1 }), path: '', message: e.detail }]);
    }
    const { bake, how } = app;
    const appFile = join(tmp, 'variants-bake.json');
    writeFileSync(appFile, JSON.stringify(bake, null, 2));
    for (const v of resolved) info(`${v.image}:${v.tag} on ${v.baseSource} (${v.platforms.join(', ')}; ${how[v.target] === 'named-context' ? 'Dockerfile unchanged, base as a named context' : 'FROM rewritten to ${BASE_IMAGE}'})`);

    const { env, docker } = await requireEngine();
    for (const image of chain) {
      if (image.kind !== 'minideb') continue;
      await ensureRootfs(loaded.ws.root, image.dist, image.platforms);
    }
    const args = ['buildx', 'bake', '--file', join(loaded.ws.root, 'docker-bake.json'), '--file', appFile, '--progress', 'plain'];
    // Catalog targets pulled in as contexts are built, never exported or pushed.
    for (const image of chain) args.push('--set', `${image.name}.output=type=cacheonly`);
    if (!(await hasBridgeNetwork())) {
      const networkFile = join(tmp, 'host-network.json');
      writeFileSync(networkFile, hostNetworkBake([...plan.images.map((i) => i.name), ...resolved.map((v) => v.target)]));
      args.push('--file', networkFile, '--allow', 'network.host');
    }
    if (ctx.flags.push) args.push('--push');
    args.push(...resolved.map((v) => v.target));
    try {
      await run(docker, args, { cwd: loaded.ws.root, env: { ...env, REGISTRY: plan.namespace, REVISION: '' }, tee: true });
    } catch (e) {
      if (e instanceof ExecError) throw new UserError(`building the variants failed:\n${e.stderrTail}`);
      throw e;
    }
    const tags: Record<string, string[]> = {};
    if (ctx.flags.push) for (const image of new Set(resolved.map((v) => v.image))) tags[image] = await listTags(image);
    const summary = resolved.map((v) => ({ image: v.image, tag: v.tag, base: v.baseSource, platforms: v.platforms, overload: how[v.target] }));
    if (ctx.flags.json) printJson(ctx, { variants: summary, tags });
    else {
      for (const s of summary) ctx.out(`${s.image}:${s.tag}  ${s.platforms.join(',')}  on ${s.base}  (${s.overload})\n`);
      for (const [image, list] of Object.entries(tags)) ctx.out(`${image} tags: ${JSON.stringify(list)}\n`);
    }
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
