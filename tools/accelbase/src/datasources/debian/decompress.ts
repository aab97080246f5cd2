// The forms of a Packages index accelbase can read. Packages.gz is preferred because Node's zlib
// reads gzip; Node has no xz or bzip2 decoder and this package takes no dependency for one, so a
// suite publishing only Packages.xz is reported as such.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { UserError } from '../../errors.js';
import { describeCause } from '../../lib/http.js';

const gunzipAsync = promisify(gunzip);
// The default 16 KiB output chunks cost ~40% more time on a 56 MB index than 1 MiB ones.
const GUNZIP_CHUNK = 1 << 20;

// Best first. `Packages` (uncompressed) is usually listed but not served by Debian mirrors; it is
// still tried before giving up because some repositories do serve it.
export const INDEX_NAMES = ['Packages.gz', 'Packages'] as const;

export const UNSUPPORTED_NOTE = 'accelbase reads only Packages.gz and plain Packages (Node has no xz/bzip2 decoder and no dependency is taken for one)';

/** The text of an index file downloaded from `url`, decompressed when its name says it is gzip. */
export async function indexText(url: string, data: Buffer): Promise<string> {
  if (!url.endsWith('.gz')) return data.toString('utf8');
  try {
    return (await gunzipAsync(data, { chunkSize: GUNZIP_CHUNK })).toString('utf8');
  } catch (err) {
    throw new UserError(`${url}: cannot decompress: ${describeCause(err)}`);
  }
}
