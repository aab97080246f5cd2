// `variants FILE`: one application Dockerfile, one image per base, built in one bake with the
// catalog's bake file (catalog bases not pushed yet are built in the same bake, never exported).
import type { Run } from '../config/run-config.js';
import type { Reporter } from '../reporter.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Platform } from '../catalog/grammar.js';
import { issueAt } from '../catalog/yaml-doc.js';
import {
  bakeArgs,
  type BakeInvocation,
  HOST_NETWORK,
  hostNetworkBake,
  runBake,
  targetOverrides,
} from '../docker/bake.js';
import { requireBuildx } from '../engine/client.js';
import { hasBridgeNetwork, requireEngine } from '../engine/engine.js';
import { CatalogError, ExecError, formatIssue, RewriteError, UserError } from '../errors.js';
import { fetchSource } from '../lib/http.js';
import { withTemporaryLogin } from '../docker/temp-config.js';
import { ownBaseReference } from '../variants/contexts.js';
import { displayPath, readInputText } from '../lib/input.js';
import { shallowClone } from '../git.js';
import { getManifest, indexPlatforms, listTags, manifestDigest } from '../oci/registry.js';
import { splitTag } from '../oci/reference.js';
import { selectWithBases, type PlannedImage } from '../plan/plan.js';
import { ensureRootfs } from '../rootfs/ensure.js';
import { appBake, resolveVariants, type ResolvedVariant } from '../variants/app-bake.js';
import { parseVariantsFile, type VariantsFile } from '../variants/file.js';
import { unreachableImages } from './preflight.js';
import { type BuildResult, lastPushed, readBuildResults } from './state.js';
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

/** Remote Dockerfiles are small text; anything larger is refused while it streams. */
const MAX_REMOTE_DOCKERFILE = 1024 * 1024;

/** A local context, or a git clone in a temporary folder (removed with it); a remote Dockerfile fetched into it. */
async function checkout(
  vf: VariantsFile,
  fileDir: string,
  tmp: string,
  reporter: Reporter,
): Promise<{ context: string; dockerfile: string }> {
  const src = vf.source;
  let checkedOut: { context: string; dockerfile: string };
  if (src.kind === 'local') {
    const context = resolve(fileDir, src.context);
    checkedOut = { context, dockerfile: resolve(vf.format === 'sodalite' ? fileDir : context, src.dockerfile) };
  } else {
    const dir = join(tmp, 'source');
    reporter.step(`cloning ${src.url} (${src.ref})`);
    const cloned = await shallowClone(src.url, src.ref, dir);
    if (!cloned.ok) {
      const urlPath =
        vf.format === 'accelbase'
          ? ['source', 'git', 'url']
          : 'git_repo' in (vf.yaml.value as { source: object }).source
            ? ['source', 'git_repo', 'url']
            : ['source', 'build_context', 'url'];
      throw new CatalogError([issueAt(vf.yaml, urlPath, `cannot clone ${src.url} at ${src.ref}: ${cloned.error}`)]);
    }
    // The Dockerfile is relative to the repository root, the context is the subdirectory.
    checkedOut = { context: join(dir, src.subdir), dockerfile: join(dir, src.dockerfile) };
  }
  if (src.dockerfileUrl) {
    reporter.step(`fetching ${src.dockerfileUrl}`);
    const dockerfile = join(tmp, 'remote.Dockerfile');
    writeFileSync(dockerfile, await fetchSource(src.dockerfileUrl, { maxBytes: MAX_REMOTE_DOCKERFILE }));
    checkedOut.dockerfile = dockerfile;
  }
  return checkedOut;
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

/**
 * A catalog base as the registry publishes it, by digest: the registry is the truth for what app
 * authors build on. Where the registry cannot be asked, the last push recorded here stands in; where
 * it has no such tag, the base is built in the same bake.
 */
async function publishedRef(
  image: PlannedImage,
  tag: string,
  built: readonly BuildResult[],
): Promise<string | undefined> {
  try {
    const digest = await manifestDigest(image.repository, tag);
    return digest ? `${image.repository}@${digest}` : undefined;
  } catch {
    return lastPushed(built, image);
  }
}

/** Catalog bases built in the same bake must be buildable here. */
async function checkBasesBuildable(
  ws: OpenWorkspace,
  vf: VariantsFile,
  resolved: ResolvedVariant[],
  chain: PlannedImage[],
): Promise<void> {
  const skips = await unreachableImages(chain, ws.model.catalog);
  const blocked = resolved.filter(
    (v) => v.catalogImage && v.baseSource?.startsWith('target:') && skips.has(v.catalogImage.name),
  );
  if (!blocked.length) return;
  throw new CatalogError(
    blocked.map((v) => {
      const i = vf.variants.findIndex((s) => s.tag === v.tag && s.image === v.image);
      return issueAt(
        vf.yaml,
        [...vf.variants[i].path, 'base'],
        `base ${v.catalogImage!.name} cannot be built here: ${skips.get(v.catalogImage!.name)}`,
      );
    }),
  );
}

export function readVariantsFile(file: string): VariantsFile {
  const display = displayPath(file);
  return parseVariantsFile(display, readInputText(file, display, 'variants file'));
}

/** `file` is where `vf` was read from (`readVariantsFile`): local sources are relative to it. */
export async function buildVariants(
  ws: OpenWorkspace,
  file: string,
  vf: VariantsFile,
  o: { push: boolean; platforms: Platform[]; buildBases: boolean },
  run: Run,
): Promise<VariantsOutcome> {
  for (const w of vf.warnings) run.reporter.warn(formatIssue(w));
  const built = readBuildResults(ws.root);
  const tmp = mkdtempSync(join(tmpdir(), 'accelbase-variants-'));
  try {
    const src = await checkout(vf, dirname(resolve(file)), tmp, run.reporter);
    const dockerfile = readDockerfile(vf, src, tmp);
    const resolved = await resolveVariants(vf, {
      plan: ws.plan,
      catalogNamespace: ws.model.catalog.registry.namespace,
      platforms: o.platforms,
      publishedRef: (image, tag) => (o.buildBases ? Promise.resolve(undefined) : publishedRef(image, tag, built)),
      externalPlatforms,
      ownBase: ownBaseReference(dockerfile.text, { stage: vf.stage }),
    });
    const bases = [
      ...new Set(resolved.filter((v) => v.baseSource?.startsWith('target:')).map((v) => v.catalogImage!.name)),
    ];
    // No catalog base in this bake: nothing of the catalog is built (selectWithBases([]) means all of it).
    const chain = bases.length ? selectWithBases(ws.plan, bases) : [];
    await checkBasesBuildable(ws, vf, resolved, chain);
    const app = appBakeFor(vf, src, dockerfile, resolved);
    const appFile = join(tmp, 'variants-bake.json');
    writeFileSync(appFile, JSON.stringify(app.bake, null, 2));
    for (const v of resolved)
      run.reporter.info(
        `${v.image}:${v.tag} on ${v.baseSource ?? "the Dockerfile's own FROM"} (${v.platforms.join(', ')}; ${HOW[app.how[v.target]]})`,
      );
    const engine = await requireEngine(run.config);
    for (const image of chain)
      if (image.kind === 'minideb') await ensureRootfs(ws.root, image.dist, image.platforms, run.config);
    await requireBuildx(engine);
    let hostNetworkFile: string | undefined;
    if (!(await hasBridgeNetwork(run.config))) {
      hostNetworkFile = join(tmp, 'host-network.json');
      writeFileSync(
        hostNetworkFile,
        hostNetworkBake([...ws.plan.images.map((i) => i.name), ...resolved.map((v) => v.target)]),
      );
    }
    const args = bakeArgs(
      variantsBake({
        root: ws.root,
        appFile,
        hostNetworkFile,
        sources: [src.context, dirname(src.dockerfile)],
        cacheOnly: chain.map((image) => image.name),
        push: o.push,
        targets: resolved.map((v) => v.target),
      }),
    );
    const bake = async (dockerConfig?: string) => {
      try {
        await runBake(engine, args, {
          cwd: ws.root,
          env: { REGISTRY: ws.plan.namespace, REVISION: '', ...(dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {}) },
        });
      } catch (e) {
        if (e instanceof ExecError) throw new UserError(`building the variants failed:\n${e.stderrTail}`);
        throw e;
      }
    };
    if (vf.login) await withTemporaryLogin(vf.login, engine.env.DOCKER_CONFIG, bake);
    else await bake();
    const tags: Record<string, string[]> = {};
    if (o.push) for (const image of new Set(resolved.map((v) => v.image))) tags[image] = await listTags(image);
    return {
      variants: resolved.map((v) => ({
        image: v.image,
        tag: v.tag,
        base: v.baseSource ?? 'own FROM',
        platforms: v.platforms,
        overload: app.how[v.target],
      })),
      tags,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The variants' one bake: the catalog's bake file, the app's, and the host-network file (when the
 * engine has no bridge network) last. Pure.
 */
export function variantsBake(o: {
  root: string;
  appFile: string;
  hostNetworkFile?: string;
  /** The app's context and Dockerfile folder. */
  sources: string[];
  /** Catalog targets pulled in as contexts: built, never exported or pushed. */
  cacheOnly: string[];
  push: boolean;
  targets: string[];
}): BakeInvocation {
  const allow = o.hostNetworkFile ? [HOST_NETWORK] : [];
  // bake reads only below its working directory unless allowed: the app's context and Dockerfile lie elsewhere.
  for (const path of new Set(o.sources)) if (relative(o.root, path).startsWith('..')) allow.push(`fs.read=${path}`);
  return {
    files: [join(o.root, 'docker-bake.json'), o.appFile, ...(o.hostNetworkFile ? [o.hostNetworkFile] : [])],
    allow,
    set: o.cacheOnly.flatMap((target) => targetOverrides(target, { output: 'type=cacheonly' })),
    push: o.push,
    targets: o.targets,
  };
}

const HOW = {
  'named-context': 'Dockerfile unchanged, base as a named context',
  rewritten: 'FROM rewritten to ${BASE_IMAGE}',
  'own-from': 'Dockerfile unchanged, on its own FROM',
} as const;

function readDockerfile(vf: VariantsFile, src: { dockerfile: string }, tmp: string): { text: string; shown: string } {
  const shown = src.dockerfile.startsWith(tmp)
    ? vf.source.dockerfileUrl && src.dockerfile === join(tmp, 'remote.Dockerfile')
      ? vf.source.dockerfileUrl
      : relative(join(tmp, 'source'), src.dockerfile)
    : displayPath(src.dockerfile);
  try {
    return { text: readInputText(src.dockerfile, shown, 'Dockerfile'), shown };
  } catch (e) {
    if (e instanceof CatalogError) throw e;
    throw new CatalogError([issueAt(vf.yaml, ['source'], `no Dockerfile at ${shown}`)]);
  }
}

/** The app's bake file; a Dockerfile that cannot be rewritten is a positioned error in that Dockerfile. */
function appBakeFor(
  vf: VariantsFile,
  src: { context: string; dockerfile: string },
  dockerfile: { text: string; shown: string },
  resolved: ResolvedVariant[],
): ReturnType<typeof appBake> {
  try {
    return appBake(dockerfile.text, { context: src.context, dockerfile: src.dockerfile, stage: vf.stage }, resolved);
  } catch (e) {
    if (!(e instanceof RewriteError)) throw e;
    throw new CatalogError([
      { file: dockerfile.shown, ...(e.position ?? { line: 1, column: 1 }), path: '', message: e.detail },
    ]);
  }
}
