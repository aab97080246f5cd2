// The registration table: one datasource per source type (catalog/source-types.ts). Its type makes
// a source type without a datasource a compile error; `update` resolves every package through it.
import type { SourceType } from '../catalog/source-types.js';
import { aptRepository } from './apt.js';
import { debianArchive } from './debian/datasource.js';
import { npmRegistry } from './npm.js';
import { pipIndex } from './pip.js';
import type { Datasource } from './types.js';

const registered: { readonly [T in SourceType]: Datasource<T> } = {
  debian: debianArchive,
  apt: aptRepository,
  npm: npmRegistry,
  pip: pipIndex,
};

/** The datasource of a source type. */
export function datasourceFor(type: SourceType): Datasource {
  const d: Datasource | undefined = registered[type] as Datasource | undefined;
  if (!d) throw new Error(`no datasource is registered for source type "${type}"`);
  return d;
}
