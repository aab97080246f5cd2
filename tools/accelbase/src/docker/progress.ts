// buildx's rawjson progress, read line by line as bake streams it: plain lines for the user and for
// error tails, and BuildKit's own word on which steps came from the cache. Plain progress cannot be
// read back for that: a step loaded lazily from a registry cache is marked cached, then started again
// to fetch its layer, and buildx's plain printer drops the CACHED line and, at times, the fetch too
// (an ADD then reads like one that ran).

interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}
interface RawStatus {
  id: string;
  vertex: string;
  total?: number;
  completed?: string;
}
interface RawLog {
  vertex: string;
  data?: string;
  timestamp?: string;
}
interface SolveStatus {
  vertexes?: RawVertex[];
  statuses?: RawStatus[];
  logs?: RawLog[];
}

interface Vertex {
  index: number;
  name: string;
  started?: string;
  completed?: string;
  /** The `#N name` line went out. */
  named: boolean;
  /** BuildKit marked it cached at some point (a later restart to fetch its layer drops the flag). */
  cached: boolean;
  /** It fetched a layer (`sha256:…`) from an imported cache. */
  pulled: boolean;
  /** It printed output of its own: it ran. */
  logged: boolean;
}

/** A build step, as opposed to an internal vertex (metadata, context, export): `[linux/amd64 2/3] RUN …`. */
const isStep = (name: string): boolean => /^\[[^\]]*\d+\/\d+\] /.test(name);

const seconds = (from?: string, to?: string): number =>
  from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : 0;

const megabytes = (bytes?: number): string => (bytes ? ` ${(bytes / 1e6).toFixed(2)}MB` : '');

function parseStatus(line: string): SolveStatus | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as SolveStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** One bake's progress: feed it stderr line by line (`render`), then ask `allStepsCached`. */
export class BakeProgress {
  readonly #vertices = new Map<string, Vertex>();
  /** Statuses shown done already (BuildKit repeats a finished one). */
  readonly #statusesDone = new Set<string>();

  /** What one stderr line shows: plain progress lines for a rawjson status, the line itself otherwise. */
  render(line: string): string[] {
    const status = parseStatus(line);
    if (!status) return [line];
    const out: string[] = [];
    for (const v of Array.isArray(status.vertexes) ? status.vertexes : []) out.push(...this.#vertex(v));
    for (const s of Array.isArray(status.statuses) ? status.statuses : []) {
      const v = this.#vertices.get(s.vertex);
      if (!v || typeof s.id !== 'string') continue;
      if (s.id.startsWith('sha256:')) v.pulled = true;
      const key = `${s.vertex} ${s.id}`;
      if (s.completed && !this.#statusesDone.has(key)) {
        this.#statusesDone.add(key);
        out.push(`#${v.index} ${s.id}${megabytes(s.total)} done`);
      }
    }
    for (const l of Array.isArray(status.logs) ? status.logs : []) {
      const v = this.#vertices.get(l.vertex);
      if (!v || typeof l.data !== 'string') continue;
      v.logged = true;
      const at = seconds(v.started, l.timestamp).toFixed(3);
      for (const text of Buffer.from(l.data, 'base64').toString('utf8').split('\n'))
        if (text.trim()) out.push(`#${v.index} ${at} ${text.trimEnd()}`);
    }
    return out;
  }

  /**
   * Did every build step come from the cache? A step did when BuildKit marked it cached, or when it
   * only fetched its layer from an imported cache and printed nothing of its own.
   */
  allStepsCached(): boolean {
    const steps = [...this.#vertices.values()].filter((v) => isStep(v.name));
    return steps.length > 0 && steps.every((v) => v.cached || (v.pulled && !v.logged));
  }

  #vertex(raw: RawVertex): string[] {
    if (typeof raw.digest !== 'string') return [];
    let v = this.#vertices.get(raw.digest);
    const out: string[] = [];
    if (!v) {
      v = {
        index: this.#vertices.size + 1,
        name: String(raw.name ?? ''),
        named: false,
        cached: false,
        pulled: false,
        logged: false,
      };
      this.#vertices.set(raw.digest, v);
    }
    if (raw.started) v.started = raw.started;
    if (raw.cached) v.cached = true;
    if ((raw.started || raw.completed) && !v.named) {
      out.push(`#${v.index} ${v.name}`);
      v.named = true;
    }
    if (raw.completed && raw.completed !== v.completed) {
      v.completed = raw.completed;
      if (raw.error) out.push(`#${v.index} ERROR: ${raw.error}`);
      else if (raw.cached) out.push(`#${v.index} CACHED`);
      else out.push(`#${v.index} DONE ${seconds(raw.started, raw.completed).toFixed(1)}s`);
    }
    return out;
  }
}
