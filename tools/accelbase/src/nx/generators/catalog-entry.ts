// What both Nx generators share: reading catalog.yaml from the tree, the YAML of one variant, the
// device-query stub that fails until it is written, and validating + re-rendering before anything is written.
import type { Tree } from '@nx/devkit';
import { parseCatalog, parseLock } from '../../catalog/load.js';
import { emptyLock } from '../../catalog/lock.js';
import { Platform } from '../../catalog/grammar.js';
import { Identifier } from '../../lib/grammar.js';
import type { Catalog, DeviceProfile, Variant } from '../../catalog/schema.js';
import { parseYaml } from '../../catalog/yaml-doc.js';
import { CatalogError, UserError } from '../../errors.js';
import { renderWorkspace } from '../../render/pipeline.js';
import { ownValue } from '../../lib/own.js';

export interface AcceleratorOptions {
  name: string;
  variant?: string;
  description?: string;
  base?: string;
  platforms?: string;
  source?: string;
  packages?: string;
  deviceProfile?: DeviceProfile;
}

export interface VariantOptions extends Omit<AcceleratorOptions, 'name' | 'variant'> {
  accelerator: string;
  name: string;
}

export const CATALOG = 'catalog.yaml';
export const QUERIES = 'generators/device-queries';
export const PROBES = 'generators/compute-probes';
const list = (s?: string) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function readCatalog(tree: Tree): { text: string; catalog: Catalog } {
  const text = tree.read(CATALOG, 'utf-8');
  if (text === null) throw new UserError(`no ${CATALOG} at the workspace root`);
  const y = parseYaml(CATALOG, text);
  return { text, catalog: y.value as Catalog };
}

/** `--source debian|apt-repo|npm|pip` or a source's own name: the catalog source packages come from. */
function sourceName(catalog: Catalog, source = 'debian'): string {
  if (ownValue(catalog.sources, source)) return source;
  const type = source === 'apt-repo' ? 'apt' : source;
  const found = Object.entries(catalog.sources).find(([, s]) => s.type === type);
  if (!found)
    throw new UserError(
      `no source of type "${type}" in ${CATALOG}: add one under sources first (or name an existing source)`,
    );
  return found[0];
}

export function checkName(what: string, name: string): void {
  if (!Identifier.safeParse(name).success)
    throw new UserError(`${what} "${name}" is not a valid name (lower-case letters, digits and single hyphens)`);
}

/**
 * The YAML lines of one variant, indented for its place under `variants:`. Defaults follow the
 * catalog: the base is minideb on its `defaultDistribution` (or what the accelerator's `defaults`
 * set), and without `--platforms` no platforms line is written, so the image gets its base's.
 */
export function variantBlock(
  catalog: Catalog,
  image: string,
  variant: string,
  o: Omit<AcceleratorOptions, 'name' | 'variant'>,
  indent: string,
  inherited: Partial<Variant> = {},
): string {
  const platforms = list(o.platforms);
  for (const p of platforms)
    if (!Platform.safeParse(p).success)
      throw new UserError(`--platforms: "${p}" is not one of ${Platform.options.join(', ')}`);
  const source = sourceName(catalog, o.source);
  const packages = list(o.packages);
  if (packages.length === 0 && !inherited.packages?.length)
    throw new UserError(
      `${image} would install no packages: name them with --packages=NAME[,NAME...] (the first names the image's runtime version)`,
    );
  const base = o.base ?? (inherited.base ? undefined : `minideb:${catalog.defaultDistribution}`);
  const pkg = (p: string) => (source === 'debian' ? p : `{ name: ${p}, source: ${source} }`);
  const lines = [
    `${variant}:`,
    ...(base ? [`  base: ${base}`] : []),
    ...(platforms.length ? [`  platforms: [${platforms.join(', ')}]`] : []),
    ...(packages.length ? [`  runtime: ${packages[0]}`, `  packages: [${packages.map(pkg).join(', ')}]`] : []),
    ...(o.deviceProfile && o.deviceProfile !== 'none' ? [`  device: ${o.deviceProfile}`] : []),
    '  smoke:',
    `    script: ${image}.sh`,
    '    expect: "^device: "',
    '    noDevice: "^no device"',
  ];
  return `${lines.map((l) => `${indent}${l}`).join('\n')}\n`;
}

/** The device query a generator writes: it fails, naming the file to edit, until a maintainer writes it. */
export function deviceQueryStub(image: string): string {
  return `#!/bin/sh
# Device query for the ${image} image, run by \`accelbase smoke\` in a container with no network.
# Write it: print "device: <what was found>" when the runtime finds a device, "no device" when the
# runtime loads but finds none (after printing its version), and exit non-zero when the runtime is
# broken. Until then it fails, so the smoke test fails too: a stub never passes.
echo "edit ${QUERIES}/${image}.sh: the device query of ${image} is still the generator's stub (see CONTRIBUTING.md, Write the device query), then run npx accelbase render" >&2
exit 1
`;
}

/** Validate the edited catalog and re-render into the tree: nothing is written when it is invalid. */
function rerender(tree: Tree, text: string): void {
  const scripts = new Set(tree.children(QUERIES));
  const { model } = parseCatalog(CATALOG, text, scripts, new Set(tree.children(PROBES)));
  const lockText = tree.read('catalog.lock.yaml', 'utf-8');
  const lock = lockText ? parseLock('catalog.lock.yaml', lockText, model) : emptyLock();
  const files = renderWorkspace(tree.root, model, lock, (p) => {
    const content = tree.read(p, 'utf-8');
    if (content === null) throw new UserError(`${p} is missing`);
    return content;
  });
  for (const [path, content] of files) if (tree.read(path, 'utf-8') !== content) tree.write(path, content);
}

/**
 * Write the new entry's device-query stub and the edited catalog, and re-render: when the entry does not
 * validate, the tree is left as it was (no stub either).
 */
export function commit(tree: Tree, catalogText: string, image: string): void {
  const stub = `${QUERIES}/${image}.sh`;
  if (tree.exists(stub)) throw new UserError(`${stub} already exists`);
  tree.write(stub, deviceQueryStub(image), { mode: '755' });
  try {
    rerender(tree, catalogText);
  } catch (e) {
    tree.delete(stub);
    if (e instanceof CatalogError) throw new UserError(`the new entry does not validate:\n${e.message}`);
    throw e;
  }
  tree.write(CATALOG, catalogText);
}
