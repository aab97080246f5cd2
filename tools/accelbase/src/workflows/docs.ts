// `docs`: the image matrix with what was really built and tested (images/README.md's and
// index.html's layout, facts in every platform cell), from recorded results: the last build, smoke
// and outdated runs (.accelbase/), the lock, and the registry's manifests for sizes where it
// answers. Writes README.md, index.html and one SPDX SBOM per image and platform (the SBOM links)
// into the output folder, atomically. Prints nothing.
import { join, relative, resolve } from 'node:path';
import type { Platform } from '../catalog/grammar.js';
import { archOf } from '../catalog/platform.js';
import { UserError } from '../errors.js';
import { readJsonFile, writeAtomic } from '../lib/fs.js';
import { compressedSize, platformManifest } from '../oci/registry.js';
import { mostSpecificTag } from '../plan/tags.js';
import { DOCS_HTML, DOCS_MARKDOWN, renderDocs } from '../render/docs.js';
import { docsFacts, type DocsFacts, type PlatformFacts } from '../render/facts.js';
import { templateEngine } from '../render/render.js';
import { sbomDocument } from '../sbom/format.js';
import { type SbomFacts, sbomInput } from '../sbom/input.js';
import { smokeText } from '../smoke/outcome.js';
import { type PublishedImage, readPublishedTag, readsRegistry } from './published.js';
import { publishedSbomInput, sbomFacts } from './sbom.js';
import { BuildResultsFile, buildResultsFile, readOutdatedResults, readSmokeResults } from './state.js';
import type { OpenWorkspace } from './workspace.js';

/** Where `docs` writes by default: beside the other recorded results, never over the committed images/ matrix. */
export const DOCS_OUTPUT = join('.accelbase', 'docs');

export interface DocsRequest {
  /** The folder to write into (relative to the workspace root); DOCS_OUTPUT by default. */
  output?: string;
  /** Read compressed sizes from the registry (default true); recorded sizes answer where it does not. */
  registry?: boolean;
}

export interface DocsResult {
  output: string;
  files: string[];
  /** Per image and platform (`linux/amd64`, as every command keys platforms): the facts the matrix shows. */
  facts: Record<string, Partial<Record<Platform, PlatformFacts>>>;
}

/** The matrix's facts (one column per architecture) keyed by platform, for --json. */
const byPlatform = (ws: OpenWorkspace, matrix: DocsFacts): DocsResult['facts'] =>
  Object.fromEntries(
    ws.plan.images.map((image) => [
      image.name,
      Object.fromEntries(image.platforms.map((p) => [p, matrix[image.name][archOf(p)]])),
    ]),
  );

/**
 * What the registry publishes under each image's most specific tag (undefined: not there). An image
 * the registry could not be asked about is left out: "could not look" is not "not there".
 */
async function readAllPublished(ws: OpenWorkspace): Promise<Map<string, PublishedImage | undefined>> {
  const out = new Map<string, PublishedImage | undefined>();
  for (const image of ws.plan.images) {
    try {
      out.set(image.name, await readPublishedTag(image, mostSpecificTag(image)));
    } catch (e) {
      if (!(e instanceof UserError)) throw e; // unreachable: the recorded facts answer
    }
  }
  return out;
}

/**
 * One matrix cell with the registry's facts where local records have none: digest and date, size,
 * installed package count, smoke outcome; unknown stays unknown, never "not built". Pure.
 */
export function publishedCell(
  cell: PlatformFacts,
  published: PublishedImage | undefined,
  platform: string,
  retired: boolean,
): PlatformFacts {
  if (retired || cell.built) return cell;
  const p = published?.platforms[platform];
  if (!published || !p)
    return cell.status === 'not-built' && cell.statusText === 'not built yet'
      ? { ...cell, statusText: 'unknown (not in the registry)' }
      : cell;
  const smoke = p.smoke;
  return {
    ...cell,
    ...(smoke
      ? {
          status: smoke.outcome,
          statusText: smokeText(smoke),
        }
      : { status: 'not-tested' as const, statusText: 'not tested' }),
    built: { date: p.facts.created?.slice(0, 10) ?? null, digest: published.digest, from: 'registry' },
    size: { bytes: p.size, from: 'registry' },
    packageCount: cell.packageCount ?? p.sbom?.packageCount ?? null,
  };
}

/** The registry's facts into the matrix, and the SBOM link of each published platform that has none. */
function overlayPublished(
  ws: OpenWorkspace,
  facts: SbomFacts,
  published: Map<string, PublishedImage | undefined>,
  matrix: DocsFacts,
  output: string,
  files: string[],
) {
  for (const image of ws.plan.images) {
    if (!published.has(image.name)) continue;
    const p = published.get(image.name);
    for (const platform of image.platforms) {
      const arch = archOf(platform);
      const cell = publishedCell(matrix[image.name][arch], p, platform, image.support.retired);
      if (cell.built?.from === 'registry' && !cell.sbom && p?.platforms[platform]?.sbom) {
        const input = publishedSbomInput(facts, image, mostSpecificTag(image), platform, p);
        const link = `sbom/${image.name}.${arch}.spdx.json`;
        writeAtomic(join(output, link), sbomDocument(input, 'spdx-json').text);
        files.push(join(output, link));
        cell.sbom = link;
      }
      matrix[image.name][arch] = cell;
    }
  }
}

export async function docsWorkspace(ws: OpenWorkspace, r: DocsRequest = {}): Promise<DocsResult> {
  const output = resolve(ws.root, r.output ?? DOCS_OUTPUT);
  const build = readJsonFile(buildResultsFile(ws.root), BuildResultsFile);
  const registrySizes = new Map<string, number>();
  if (r.registry !== false) {
    for (const image of ws.plan.images) {
      const pushed =
        build?.output === 'push'
          ? build.results.find((b) => b.image === image.name && b.repository === image.repository && b.digest)
          : undefined;
      for (const platform of image.platforms) {
        const digest = pushed?.platforms.includes(platform)
          ? pushed.digest
          : ws.lock.images[image.name]?.platforms[platform]?.digest;
        if (!digest) continue;
        try {
          registrySizes.set(
            `${image.name} ${platform}`,
            compressedSize(await platformManifest(image.repository, digest, platform)),
          );
        } catch (e) {
          if (!(e instanceof UserError)) throw e; // unreachable or unknown there: the recorded size answers
        }
      }
    }
  }
  const files: string[] = [];
  const sboms = new Map<string, string>();
  const facts = sbomFacts(ws);
  for (const image of ws.plan.images) {
    for (const platform of image.platforms) {
      let text: string;
      try {
        text = sbomDocument(sbomInput(image, mostSpecificTag(image), platform, facts), 'spdx-json').text;
      } catch (e) {
        if (!(e instanceof UserError)) throw e; // no installed set recorded: no SBOM link
        continue;
      }
      const link = `sbom/${image.name}.${archOf(platform)}.spdx.json`;
      writeAtomic(join(output, link), text);
      files.push(join(output, link));
      sboms.set(`${image.name} ${platform}`, link);
    }
  }
  const published = readsRegistry(ws) ? await readAllPublished(ws) : undefined;
  const matrix = docsFacts(ws.plan, {
    lock: ws.lock,
    build,
    smoke: readSmokeResults(ws.root),
    outdated: readOutdatedResults(ws.root),
    registrySizes,
    sboms,
  });
  if (published) overlayPublished(ws, facts, published, matrix, output, files);
  const imagesBase = `${relative(output, join(ws.root, 'images')).split('\\').join('/')}/`.replace(/^\/$/, '');
  for (const [path, text] of renderDocs(templateEngine(ws.root), ws.plan, ws.model.catalog, matrix, imagesBase)) {
    const file = join(output, path === DOCS_MARKDOWN ? 'README.md' : path === DOCS_HTML ? 'index.html' : path);
    writeAtomic(file, text);
    files.push(file);
  }
  return { output, files: files.sort(), facts: byPlatform(ws, matrix) };
}
