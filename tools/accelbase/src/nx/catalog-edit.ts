// Surgical edits of catalog.yaml: insert a block at the end of a block map, found by its YAML node
// range, so comments, formatting and CRLF line endings elsewhere stay exactly as they were.
import { isMap, isScalar, type Node } from 'yaml';
import { parseYaml } from '../catalog/yaml-doc.js';
import { UserError } from '../errors.js';

/** The line ending the file already uses. */
export const lineEnding = (text: string) => (/\r\n/.test(text) ? '\r\n' : '\n');

/**
 * Insert `block` (LF-separated lines, indented for its place) as the last entry of the block map at
 * `path`. Returns the new text.
 */
export function appendToMap(file: string, text: string, path: string[], block: string): string {
  const y = parseYaml(file, text);
  const node = y.doc.getIn(path, true) as Node | undefined;
  if (!isMap(node)) throw new UserError(`${file}: ${path.join('.')} is not a map`);
  if (node.flow)
    throw new UserError(`${file}: ${path.join('.')} is a flow map ({...}); make it a block map to add entries`);
  const last = node.items[node.items.length - 1];
  const end =
    (last?.value as Node | undefined)?.range?.[1] ??
    (isScalar(last?.key) ? last.key.range?.[1] : undefined) ??
    node.range![1];
  // Insert after the line that holds the map's last value.
  const nl = text.indexOf('\n', end - 1);
  const at = nl < 0 ? text.length : nl + 1;
  const eol = lineEnding(text);
  const prefix = at === text.length && !text.endsWith('\n') ? eol : '';
  return text.slice(0, at) + prefix + block.split('\n').join(eol) + (block.endsWith('\n') ? '' : eol) + text.slice(at);
}
