// `nx g variant ACCELERATOR NAME`: a new variant of an existing accelerator, with its stub and re-render.
import type { Tree } from '@nx/devkit';
import { UserError } from '../../../errors.js';
import { appendToMap } from '../../catalog-edit.js';
import { CATALOG, checkName, commit, readCatalog, variantBlock, type VariantOptions } from '../catalog-entry.js';
import { ownValue } from '../../../lib/own.js';

export async function variantGenerator(tree: Tree, o: VariantOptions): Promise<void> {
  checkName('variant', o.name);
  const { text, catalog } = readCatalog(tree);
  const accelerator = catalog.accelerators?.[o.accelerator];
  if (!accelerator) throw new UserError(`no accelerator "${o.accelerator}" in ${CATALOG}`);
  if (ownValue(accelerator.variants, o.name))
    throw new UserError(`accelerator "${o.accelerator}" already has a variant "${o.name}"`);
  const image = `${o.accelerator}-${o.name}`;
  const next = appendToMap(
    CATALOG,
    text,
    ['accelerators', o.accelerator, 'variants'],
    variantBlock(catalog, image, o.name, o, '      ', accelerator.defaults),
  );
  commit(tree, next, image);
}
