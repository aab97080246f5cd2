// git: the one module that asks git anything (revision, merge base, changed files, file at a
// revision, diff, clone). Argument arrays through exec.ts.
import { run } from './exec.js';
import { UserError } from './errors.js';

const git = (root: string, ...args: string[]) => run('git', args, { cwd: root, allowFailure: true });

/** HEAD's commit, or undefined outside a repository. */
export async function headRevision(root: string): Promise<string | undefined> {
  const r = await git(root, 'rev-parse', 'HEAD');
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function mergeBase(root: string, base: string, head?: string): Promise<string> {
  const mb = await git(root, 'merge-base', base, head ?? 'HEAD');
  if (mb.exitCode !== 0) throw new UserError(`git cannot find ${base}: ${mb.stderr.trim().split('\n').pop()}`);
  return mb.stdout.trim();
}

/** Files changed since `since`, committed or not, and untracked ones (as `nx affected` sees them). */
export async function changedFiles(root: string, since: string, head?: string): Promise<string[]> {
  const lists = head
    ? [await git(root, 'diff', '--name-only', '--no-renames', since, head)]
    : [
        await git(root, 'diff', '--name-only', '--no-renames', since),
        await git(root, 'ls-files', '--others', '--exclude-standard'),
      ];
  return [...new Set(lists.flatMap((r) => r.stdout.split('\n').filter(Boolean)))].sort();
}

/** A file's text at a revision; undefined when it does not exist there. */
export async function fileAt(root: string, rev: string, path: string): Promise<string | undefined> {
  const r = await git(root, 'show', `${rev}:${path}`);
  return r.exitCode === 0 ? r.stdout : undefined;
}

/** The names of the files in folder `dir` (relative to `root`) at a revision; empty when it has none. */
export async function namesAt(root: string, rev: string, dir: string): Promise<string[]> {
  const r = await git(root, 'ls-tree', '--name-only', rev, '--', `./${dir}/`);
  return r.exitCode === 0
    ? r.stdout
        .split('\n')
        .filter(Boolean)
        .map((p) => p.slice(p.lastIndexOf('/') + 1))
    : [];
}

/** `git diff` of one path between revisions (head undefined: the work tree). */
export async function diffPath(root: string, since: string, head: string | undefined, path: string): Promise<string> {
  return (await git(root, 'diff', '--no-color', since, ...(head ? [head] : []), '--', path)).stdout;
}

/** A whole new file as a diff against nothing. */
export async function diffNewFile(root: string, path: string): Promise<string> {
  return (await git(root, 'diff', '--no-color', '--no-index', '--', '/dev/null', path)).stdout;
}

/** A shallow clone of `ref` (HEAD: the default branch) into `dir`; the fatal line when it fails. */
export async function shallowClone(
  url: string,
  ref: string,
  dir: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const branch = ref === 'HEAD' ? [] : ['--branch', ref];
  const r = await run('git', ['clone', '--quiet', '--depth', '1', ...branch, url, dir], {
    allowFailure: true,
    timeoutMs: 300_000,
    env: { GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.exitCode === 0) return { ok: true };
  return {
    ok: false,
    error:
      r.stderr.split('\n').find((l) => l.startsWith('fatal:')) ??
      r.stderr.trim().split('\n').pop() ??
      `exit code ${r.exitCode}`,
  };
}

/** The repository's top folder, above `root`. */
export async function topLevel(root: string): Promise<string> {
  const r = await git(root, 'rev-parse', '--show-toplevel');
  if (r.exitCode !== 0) throw new UserError(`${root} is not in a git repository`);
  return r.stdout.trim();
}

/** A detached work tree of `rev` at `dir` (for rebuilding what a commit produced); remove it with removeWorktree. */
export async function addWorktree(root: string, rev: string, dir: string): Promise<void> {
  const r = await git(root, 'worktree', 'add', '--detach', '--force', dir, rev);
  if (r.exitCode !== 0) throw new UserError(`git cannot check out ${rev}: ${r.stderr.trim().split('\n').pop()}`);
}

export async function removeWorktree(root: string, dir: string): Promise<void> {
  await git(root, 'worktree', 'remove', '--force', dir);
  await git(root, 'worktree', 'prune');
}
