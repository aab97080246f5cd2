// `variants FILE --convert`: a SODALITE file in accelbase's own format, its comments kept. The new
// document is built from the original's nodes, so a comment on an image or a field travels with it.
import { Document, isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Node, type Scalar } from 'yaml';
import { CatalogError } from '../errors.js';
import { issueAt } from '../catalog/yaml-doc.js';
import type { VariantsFile } from './file.js';

type Commented = { commentBefore?: string | null; comment?: string | null };

/** Carry `from`'s comments onto `to`. */
function keepComments<T extends Commented>(to: T, from: unknown): T {
  const f = from as Commented | null | undefined;
  if (f?.commentBefore) to.commentBefore = f.commentBefore;
  if (f?.comment) to.comment = f.comment;
  return to;
}

const nodeAt = (vf: VariantsFile, path: (string | number)[]): Node | undefined =>
  vf.yaml.doc.getIn(path, true) as Node | undefined;

export function convertToNative(vf: VariantsFile): string {
  if (vf.format === 'accelbase') return vf.yaml.text;
  const images = new Set(vf.variants.map((v) => v.image));
  if (images.size > 1)
    throw new CatalogError([
      issueAt(
        vf.yaml,
        ['target', 'images'],
        `accelbase's format tags one image per file, and this names ${images.size} (${[...images].join(', ')}): split it by image`,
        true,
      ),
    ]);
  if (vf.source.dockerfileUrl)
    throw new CatalogError([
      issueAt(
        vf.yaml,
        ['source', 'dockerfile', 'url'],
        "accelbase's format has no remote Dockerfile: add the Dockerfile to the build context and name it by path",
      ),
    ]);
  const out = new Document();
  out.commentBefore = vf.yaml.doc.commentBefore ?? null;
  const root = new YAMLMap();
  const src = vf.source;
  const source =
    src.kind === 'git'
      ? out.createNode({
          git: { url: src.url, ref: src.ref, subdir: src.subdir },
          dockerfile: relativeTo(src.subdir, src.dockerfile),
        })
      : out.createNode({ context: src.context, dockerfile: src.dockerfile });
  root.add(out.createPair('source', keepComments(source as YAMLMap, nodeAt(vf, ['source']))));
  const target = out.createNode({ image: [...images][0] }) as YAMLMap;
  if (vf.login) target.commentBefore = ' credentials removed: they belong in the credential store (docker login)';
  root.add(out.createPair('target', keepComments(target, nodeAt(vf, ['target']))));
  const variants = new YAMLSeq();
  vf.variants.forEach((v, n) => {
    const item = out.createNode({
      tag: v.tag,
      ...(v.base ? { base: v.base } : {}),
      ...(v.platforms ? { platforms: v.platforms } : {}),
    }) as YAMLMap;
    const from = nodeAt(vf, ['target', 'images', n]);
    keepComments(item, from);
    // Field comments move with their field; those of `image` (no field of its own any more) onto `tag`.
    if (isMap(from))
      for (const pair of from.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const to = item.items.find((p) => isScalar(p.key) && p.key.value === (key === 'image' ? 'tag' : key));
        if (!to) continue;
        keepComments(to.key as Scalar, pair.key);
        if (isScalar(pair.value) && isScalar(to.value)) keepComments(to.value, pair.value);
      }
    variants.items.push(item);
  });
  const imagesNode = nodeAt(vf, ['target', 'images']);
  root.add(out.createPair('variants', isSeq(imagesNode) ? keepComments(variants, imagesNode) : variants));
  const top = vf.yaml.doc.contents;
  if (isMap(top)) {
    keepComments(root, top);
    const firstKey = top.items[0]?.key;
    if (isScalar(firstKey) && firstKey.commentBefore)
      out.commentBefore = [out.commentBefore, firstKey.commentBefore].filter(Boolean).join('\n');
  }
  out.contents = root;
  if (vf.yaml.doc.comment) out.comment = vf.yaml.doc.comment;
  return out.toString({ lineWidth: 0 });
}

/** accelbase's `dockerfile` is relative to the context (`subdir`); SODALITE's to the repository root. */
function relativeTo(subdir: string, dockerfile: string): string {
  if (subdir === '.') return dockerfile;
  if (dockerfile.startsWith(`${subdir}/`)) return dockerfile.slice(subdir.length + 1);
  throw new CatalogError([
    {
      file: '',
      line: 1,
      column: 1,
      path: 'source.git_repo.dockerfile',
      message: `the Dockerfile ${dockerfile} is outside the workdir ${subdir}, which accelbase's format cannot say`,
    },
  ]);
}
