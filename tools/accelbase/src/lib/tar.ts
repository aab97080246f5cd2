// Reading tar archives in memory (ustar, GNU long names, pax path records), gzip-compressed or not:
// enough to take one file out of a rootfs tarball or an image layer, without a tar process.
import { Readable, pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';

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

/** The records that can precede an entry's own header: GNU long names and a pax extended header. */
interface Pending {
  longName?: string;
  longLink?: string;
  pax: Map<string, string>;
}

/** The entry a ustar header block describes, taking what `pending` records say over its own fields. */
function entryOf(header: Buffer, data: Buffer, pending: Pending): TarEntry {
  const { pax, longName, longLink } = pending;
  const prefix = text(header.subarray(345, 500));
  const name =
    pax.get('path') ??
    longName ??
    (prefix ? `${prefix}/${text(header.subarray(0, 100))}` : text(header.subarray(0, 100)));
  const number = (key: string, field: Buffer) => (pax.has(key) ? Math.floor(Number(pax.get(key))) : octal(field));
  return {
    path: name.replace(/^\.?\/+/, ''),
    type: typeOf(header),
    data,
    mode: octal(header.subarray(100, 108)),
    uid: number('uid', header.subarray(108, 116)),
    gid: number('gid', header.subarray(116, 124)),
    mtime: number('mtime', header.subarray(136, 148)),
    link: pax.get('linkpath') ?? longLink ?? text(header.subarray(157, 257)),
  };
}

/** Block types that are records about the next entry (or, 'g', about the archive), not entries. */
const RECORD_TYPES = new Set(['L', 'K', 'x', 'g']);

/** Folds a record block (one of RECORD_TYPES) into `pending`. */
function takeRecord(type: string, data: Buffer, pending: Pending): void {
  if (type === 'L') pending.longName = text(data);
  else if (type === 'K') pending.longLink = text(data);
  else if (type === 'x') pending.pax = paxRecords(data);
}

const sizeOf = (header: Buffer) => octal(header.subarray(124, 136));
const typeOf = (header: Buffer) => text(header.subarray(156, 157)) || '0';
const padded = (size: number) => Math.ceil(size / 512) * 512;

/** Every entry, in archive order; paths without a leading `./` or `/`. */
export function* tarEntries(archive: Buffer): Generator<TarEntry> {
  const buf = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  let offset = 0;
  let pending: Pending = { pax: new Map() };
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return;
    const size = sizeOf(header);
    const type = typeOf(header);
    const data = buf.subarray(offset + 512, offset + 512 + size);
    offset += 512 + padded(size);
    if (RECORD_TYPES.has(type)) {
      takeRecord(type, data, pending);
      continue;
    }
    yield entryOf(header, data, pending);
    pending = { pax: new Map() };
  }
}

/** Exact reads and skips over a stream of chunks, without concatenating what is skipped. */
class ChunkReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly it: AsyncIterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }
  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n) {
      const next = await this.it.next();
      if (next.done) return false;
      this.chunks.push(Buffer.from(next.value));
      this.buffered += next.value.length;
    }
    return true;
  }
  /** `n` bytes, or undefined where the stream ends first. */
  async read(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) return undefined;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }
  async skip(n: number): Promise<void> {
    while (n > 0) {
      if (!this.chunks.length && !(await this.fill(1))) return;
      const head = this.chunks[0];
      const take = Math.min(n, head.length);
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(take);
      this.buffered -= take;
      n -= take;
    }
  }
  /** Reads the stream to its end (so a digest check on it runs), keeping nothing. */
  async drain(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    for (let next = await this.it.next(); !next.done; next = await this.it.next());
  }
}

/** The bytes of `source`, gunzipped where they start with gzip's magic. */
async function* decompressed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const all = async function* () {
    yield first.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  };
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) return yield* all();
  const gunzip = createGunzip();
  // pipeline destroys the gunzip stream with the source's error, so the loop below throws it.
  pipeline(Readable.from(all()), gunzip, () => undefined);
  yield* gunzip as AsyncIterable<Buffer>;
}

/**
 * Every entry of a streamed archive (plain or gzip-compressed), with the data only of those `keep`
 * accepts (others have empty data): a layer of gigabytes is read in constant memory. The stream is
 * read to its end.
 */
export async function* tarEntriesFrom(
  source: AsyncIterable<Uint8Array>,
  keep: (path: string) => boolean,
): AsyncGenerator<TarEntry> {
  const reader = new ChunkReader(decompressed(source));
  let pending: Pending = { pax: new Map() };
  for (let header = await reader.read(512); header && !header.every((b) => b === 0); header = await reader.read(512)) {
    const size = sizeOf(header);
    const type = typeOf(header);
    if (RECORD_TYPES.has(type)) {
      const data = (await reader.read(padded(size)))?.subarray(0, size) ?? Buffer.alloc(0);
      takeRecord(type, data, pending);
      continue;
    }
    const entry = entryOf(header, Buffer.alloc(0), pending);
    pending = { pax: new Map() };
    if (keep(entry.path)) entry.data = (await reader.read(padded(size)))?.subarray(0, size) ?? Buffer.alloc(0);
    else await reader.skip(padded(size));
    yield entry;
  }
  await reader.drain();
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
export async function pathInLayer(
  layer: Buffer | AsyncIterable<Uint8Array>,
  path: string,
): Promise<Buffer | 'hidden' | undefined> {
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const hides = new Set([`${dir}.wh.${path.slice(dir.length)}`, `${dir}.wh..wh..opq`]);
  let file: Buffer | undefined;
  let hidden = false;
  const entries = Buffer.isBuffer(layer) ? tarEntries(layer) : tarEntriesFrom(layer, (p) => p === path);
  for await (const e of entries) {
    if (e.path === path && e.type === '0') file = e.data;
    else if (hides.has(e.path)) hidden = true;
  }
  return file ?? (hidden ? 'hidden' : undefined);
}

/** `path` as an image's layers (bottom first) leave it: read from the top down, the first answer wins. */
export async function fileInLayers(
  layerCount: number,
  layer: (index: number) => Promise<Buffer | AsyncIterable<Uint8Array>>,
  path: string,
): Promise<Buffer | undefined> {
  for (let i = layerCount - 1; i >= 0; i--) {
    const found = await pathInLayer(await layer(i), path);
    if (found === 'hidden') return undefined;
    if (found) return found;
  }
  return undefined;
}
