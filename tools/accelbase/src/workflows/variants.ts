// `variants FILE`: one application Dockerfile, one image per base, built in one bake with the
// catalog's bake file (catalog bases not pushed yet are built in the same bake, never exported).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Platform } from '../catalog/grammar.js';
import { issueAt } from '../catalog/yaml-doc.js';
import { hostNetworkBake, runBake } from '../docker/bake.js';
import { hasBridgeNetwork, requireEngine } from '../engine/engine.js';
import { CatalogError, ExecError, RewriteError, UserError } from '../errors.js';
import { displayPath, readInputText } from '../lib/input.js';
import { shallowClone } from '../git.js';
import { info } from '../log.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';
import { splitTag } from '../oci/reference.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { ensureRootfs } from '../rootfs/ensure.js';
import { appBake, resolveVariants, type ResolvedVariant } from '../variants/app-bake.js';
import { parseVariantsFile, type VariantsFile } from '../variants/file.js';
import { unreachableImages } from './preflight.js';
import { lastPushed, readBuildResults } from './state.js';
import type { OpenWorkspace } from './workspace.js';

export interface VariantSummary {
  image: string;
  tag: string;
  base: string;
  platforms: Platform[];
  overload: string;
}

export interface VariantsOutcome {
  variants: VariantSummary[];
  /** After --push: each image's tags as the registry lists them. */
  tags: Record<string, string[]>;
}

/** A local context, or a git clone in a temporary folder (removed with it). */
async function checkout(vf: VariantsFile, fileDir: string, tmp: string): Promise<{ context: string; dockerfile: string }> {
  const src = vf.source;
  if (src.kind === 'local') {
    const context = resolve(fileDir, src.context);
    return { context, dockerfile: resolve(vf.format === 'sodalite' ? fileDir : context, src.dockerfile) };
  }
  const dir = join(tmp, 'source');
  info(`cloning ${src.url} (${src.ref})`);
  const cloned = await shallowClone(src.url, src.ref, dir);
  if (!cloned.ok) {
    const urlPath = vf.format === 'sodalite' ? ['source', 'git_repo', 'url'] : ['source', 'git', 'url'];
    throw new CatalogError([issueAt(vf.yaml, urlPath, `cannot clone ${src.url} at ${src.ref}: ${cloned.error}`)]);
  }
  const context = join(dir, src.subdir);
  return { context, dockerfile: join(context, src.dockerfile) };
}

/** The platforms an external base's index serves; undefined when its registry does not answer. */
async function externalPlatforms(ref: string): Promise<Platform[] | undefined> {
  try {
    const { repository, tag = 'latest', digest } = splitTag(ref);
    return indexPlatforms((await getManifest(repository, digest ?? tag)).body) as Platform[];
  } catch {
    return undefined;
  }
}

/** Catalog bases built in the same bake must be buildable here. */
async function checkBasesBuildable(ws: OpenWorkspace, vf: VariantsFile, resolved: ResolvedVariant[], chain: PlannedImage[]): Promise<void> {
  const skips = await unreachableImages(chain, ws.model.catalog);
  const blocked = resolved.filter((v) => v.catalogImage && v.baseSource.startsWith('target:') && skips.has(v.catalogImage.name));
  if (!blocked.length) return;
  throw new CatalogError(
    blocked.map((v) => {
      const i = vf.variants.findIndex((s) => s.tag === v.tag && s.image === v.image);
      return issueAt(vf.yaml, [...vf.variants[i].path, 'base'], `base ${v.catalogImage!.name} cannot be built here: ${skips.get(v.catalogImage!.name)}`);
    }),
  );
}

export function readVariantsFile(file: string): VariantsFile {
  const display = displayPath(file);
  return parseVariantsFile(display, readInputText(file, display, 'variants file'));
}

/** `file` is where `vf` was read from (`readVariantsFile`): local sources are relative to it. */
export async function buildVariants(ws: OpenWorkspace, file: string, vf: VariantsFile, o: { push: boolean; platforms: Platform[] }): Promise<VariantsOutcome> {
  const built = readBuildResults(ws.root);
  const resolved = await resolveVariants(vf, {
    plan: ws.plan,
    catalogNamespace: ws.model.catalog.registry.namespace,
    platforms: o.platforms,
    publishedRef: (image) => lastPushed(built, image),
    externalPlatforms,
  });
  const chain = selectWithBases(ws.plan, [...new Set(resolved.filter((v) => v.baseSource.startsWith('target:')).map((v) => v.catalogImage!.name))]);
  await checkBasesBuildable(ws, vf, resolved, chain);

  const tmp = mkdtempSync(join(tmpdir(), 'accelbase-variants-'));
  try {
    const src = await checkout(vf, dirname(resolve(file)), tmp);
    const app = appBakeFor(vf, src, resolved, tmp);
    const appFile = join(tmp, 'variants-bake.json');
    writeFileSync(appFile, JSON.stringify(app.bake, null, 2));
    for (const v of resolved) info(`${v.image}:${v.tag} on ${v.baseSource} (${v.platforms.join(', ')}; ${app.how[v.target] === 'named-context' ? 'Dockerfile unchanged, base as a named context' : 'FROM rewritten to ${BASE_IMAGE}'})`);
    const engine = await requireEngine();
    for (const image of chain) if (image.kind === 'minideb') await ensureRootfs(ws.root, image.dist, image.platforms);
    const args = ['buildx', 'bake', '--file', join(ws.root, 'docker-bake.json'), '--file', appFile, '--progress', 'plain'];
    // Catalog targets pulled in as contexts are built, never exported or pushed.
    for (const image of chain) args.push('--set', `${image.name}.output=type=cacheonly`);
    if (!(await hasBridgeNetwork())) {
      const networkFile = join(tmp, 'host-network.json');
      writeFileSync(networkFile, hostNetworkBake([...ws.plan.images.map((i) => i.name), ...resolved.map((v) => v.target)]));
      args.push('--file', networkFile, '--allow', 'network.host');
    }
    if (o.push) args.push('--push');
    args.push(...resolved.map((v) => v.target));
    try {
      await runBake(engine, args, { cwd: ws.root, env: { REGISTRY: ws.plan.namespace, REVISION: '' } });
    } catch (e) {
      if (e instanceof ExecError) throw new UserError(`building the variants failed:\n${e.stderrTail}`);
      throw e;
    }
    const tags: Record<string, string[]> = {};
    if (o.push) for (const image of new Set(resolved.map((v) => v.image))) tags[image] = await listTags(image);
    return { variants: resolved.map((v) => ({ image: v.image, tag: v.tag, base: v.baseSource, platforms: v.platforms, overload: app.how[v.target] })), tags };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The app's bake file; a Dockerfile that cannot be rewritten is a positioned error in that Dockerfile. */
function appBakeFor(vf: VariantsFile, src: { context: string; dockerfile: string }, resolved: ResolvedVariant[], tmp: string): ReturnType<typeof appBake> {
  const shown = src.dockerfile.startsWith(tmp) ? relative(join(tmp, 'source'), src.dockerfile) : displayPath(src.dockerfile);
  let dockerfileText: string;
  try {
    dockerfileText = readInputText(src.dockerfile, shown, 'Dockerfile');
  } catch (e) {
    if (e instanceof CatalogError) throw e;
    throw new CatalogError([issueAt(vf.yaml, ['source'], `no Dockerfile at ${src.dockerfile}`)]);
  }
  try {
    return appBake(dockerfileText, { context: src.context, dockerfile: src.dockerfile, stage: vf.stage }, resolved);
  } catch (e) {
    if (!(e instanceof RewriteError)) throw e;
    throw new CatalogError([{ file: shown, ...(e.position ?? { line: 1, column: 1 }), path: '', message: e.detail }]);
  }
}
