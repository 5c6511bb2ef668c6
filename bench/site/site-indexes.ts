/**
 * Both engines index the same built site, as a site owner runs them after the build: the built
 * `tabembed index --site` (bin/tabembed.js → dist/node) into `<site>/search/`, and Pagefind's own
 * CLI (node_modules/.bin/pagefind) into `<site>/pagefind/`. Each index is then weighed on disk:
 * every file, raw and gzipped one by one (level 9), as a host that compresses would send them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../bench-args.ts';

export type FileGroups = Record<string, { count: number; bytes: number }>;

export interface IndexBuild {
  seconds: number;
  files: number;
  bytes: number;
  gzipBytes: number;
  /** The files by kind (see fileGroup): count and raw bytes. */
  groups: FileGroups;
}

/**
 * A file's kind: its path with numbers and hashes as `*` (`search/index-v12.bin` → `search/index-v*.bin`,
 * `fragment/en_3c1f0a2.pf_fragment` and `fragment/en_cecbbef.pf_fragment` → `fragment/en_*.pf_fragment`:
 * a hash after `_` may hold no digit).
 */
export function fileGroup(path: string): string {
  return path.replace(/(?<=_)[0-9a-f]{6,}|[0-9a-f]*\d[0-9a-f]*/g, '*');
}

/** Adds a file of `bytes` to its group. */
export function addToGroup(groups: FileGroups, path: string, bytes: number): void {
  const group = (groups[fileGroup(path)] ??= { count: 0, bytes: 0 });
  group.count++;
  group.bytes += bytes;
}

/** The fixture as the page loads it: 64 dimensions is its hidden size. */
export const MODEL_DIR = 'public/models/qwen3-tiny';
export const MODEL_URL = '/models/qwen3-tiny/';

export function weigh(dir: string): Omit<IndexBuild, 'seconds'> {
  let files = 0;
  let bytes = 0;
  let gzipBytes = 0;
  const groups: FileGroups = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const content = readFileSync(join(entry.parentPath, entry.name));
    files++;
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
    addToGroup(groups, relative(dir, join(entry.parentPath, entry.name)), content.length);
  }
  return { files, bytes, gzipBytes, groups };
}

function timed(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

/** `tabembed index --site … --lexical --encoding int8` at the fixture's full 64 dimensions. */
export function indexTabembed(site: string): IndexBuild {
  const out = join(site, 'search');
  const args = ['index', '--model', MODEL_DIR, '--model-id', MODEL_URL, '--site', site, '--out', out];
  const seconds = timed(() =>
    execFileSync(process.execPath, ['bin/tabembed.js', ...args, '--lexical', '--encoding', 'int8'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  return { seconds, ...weigh(out) };
}

/** `pagefind --site <site>` with its defaults (it writes `<site>/pagefind/`). */
export function indexPagefind(site: string): IndexBuild {
  const seconds = timed(() =>
    execFileSync(join(ROOT, 'node_modules/.bin/pagefind'), ['--site', site], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  return { seconds, ...weigh(join(site, 'pagefind')) };
}
