// `nx g accelerator NAME`: a new accelerator in catalog.yaml (spliced in by node range, comments kept),
// a device-query stub, and the re-rendered images/ and bake file, so the pull request is complete.
import type { Tree } from '@nx/devkit';
import { UserError } from '../../../errors.js';
import { appendToMap } from '../../catalog-edit.js';
import { CATALOG, checkName, commit, readCatalog, variantBlock, type AcceleratorOptions } from '../catalog-entry.js';

export async function acceleratorGenerator(tree: Tree, o: AcceleratorOptions): Promise<void> {
  checkName('accelerator', o.name);
  const variant = o.variant ?? 'default';
  checkName('variant', variant);
  const { text, catalog } = readCatalog(tree);
  if (catalog.accelerators?.[o.name])
    throw new UserError(
      `accelerator "${o.name}" is already in ${CATALOG}: use \`nx g variant ${o.name} NAME\` to add a variant`,
    );
  const image = `${o.name}-${variant}`;
  const block = [
    `  ${o.name}:`,
    `    description: ${JSON.stringify(o.description ?? `${o.name} runtime`)}`,
    '    variants:',
    variantBlock(catalog, image, variant, o, '      '),
  ].join('\n');
  const next = appendToMap(CATALOG, text, ['accelerators'], block);
  commit(tree, next, image);
}
