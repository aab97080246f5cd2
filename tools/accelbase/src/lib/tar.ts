// Reading tar archives in memory (ustar, GNU long names, pax path records), gzip-compressed or not:
// enough to take one file out of a rootfs tarball or an image layer, without a tar process.
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** '0' file, '2' symlink, '5' directory, ... (ustar typeflag). */
  type: string;
  data: Buffer;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (a pax record's, where there is one). */
  mtime: number;
  /** A link's target ('1' hard link, '2' symlink). */
  link: string;
}

const text = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
const octal = (b: Buffer) => parseInt(text(b).trim() || '0', 8);

/** pax extended header records: `<len> key=value\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

/** Every entry, in archive order; paths without a leading `./` or `/`. */
export function* tarEntries(archive: Buffer): Generator<TarEntry> {
  const buf = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return;
    const size = octal(header.subarray(124, 136));
    const type = text(header.subarray(156, 157)) || '0';
    const data = buf.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') longName = text(data);
    else if (type === 'K') longLink = text(data);
    else if (type === 'x') pax = paxRecords(data);
    else if (type !== 'g') {
      const prefix = text(header.subarray(345, 500));
      const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${text(header.subarray(0, 100))}` : text(header.subarray(0, 100)));
      const number = (key: string, field: Buffer) => (pax.has(key) ? Math.floor(Number(pax.get(key))) : octal(field));
      const entry: TarEntry = {
        path: name.replace(/^\.?\/+/, ''),
        type,
        data,
        mode: octal(header.subarray(100, 108)),
        uid: number('uid', header.subarray(108, 116)),
        gid: number('gid', header.subarray(116, 124)),
        mtime: number('mtime', header.subarray(136, 148)),
        link: pax.get('linkpath') ?? longLink ?? text(header.subarray(157, 257)),
      };
      longName = longLink = undefined;
      pax = new Map();
      yield entry;
    }
  }
}

/** One regular file's content; undefined when the archive has none at `path`. */
export function tarFile(archive: Buffer, path: string): Buffer | undefined {
  let found: Buffer | undefined;
  for (const e of tarEntries(archive)) if (e.path === path && e.type === '0') found = e.data;
  return found;
}

/**
 * What one layer says about `path`: its content, `hidden` when an OCI whiteout (`.wh.<name>`, or an
 * opaque `.wh..wh..opq` in its folder) removes what lower layers had, undefined when it says nothing.
 */
export function pathInLayer(layer: Buffer, path: string): Buffer | 'hidden' | undefined {
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const hides = new Set([`${dir}.wh.${path.slice(dir.length)}`, `${dir}.wh..wh..opq`]);
  let file: Buffer | undefined;
  let hidden = false;
  for (const e of tarEntries(layer)) {
    if (e.path === path && e.type === '0') file = e.data;
    else if (hides.has(e.path)) hidden = true;
  }
  return file ?? (hidden ? 'hidden' : undefined);
}

/** `path` as an image's layers (bottom first) leave it: read from the top down, the first answer wins. */
export async function fileInLayers(layerCount: number, layer: (index: number) => Promise<Buffer>, path: string): Promise<Buffer | undefined> {
  for (let i = layerCount - 1; i >= 0; i--) {
    const found = pathInLayer(await layer(i), path);
    if (found === 'hidden') return undefined;
    if (found) return found;
  }
  return undefined;
}
