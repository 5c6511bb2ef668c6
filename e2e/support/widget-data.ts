/**
 * Data for the widget specs, made the way a site owner makes it: the real CLI (`npm run
 * build:cli`, then `node bin/tabembed.js index …`) on the random-weight fixture, plus the CLI's
 * own `embed` vectors of the same texts and queries, from which a spec computes the cosines the
 * widget should report without going through the widget's code or the index file's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { cosine64 } from './cosine64.ts';

export const MODEL_DIR = 'public/models/qwen3-tiny';
/** The model as a page on the test server loads it. */
export const MODEL_URL = '/models/qwen3-tiny/';
export const DIMENSIONS = 32;
export const INSTRUCTION = 'Given a question, find the help page that answers it';

export interface WidgetItem {
  id: string;
  text: string;
  url?: string;
  title?: string;
}

export const ITEMS: WidgetItem[] = [
  {
    id: 'bread',
    title: 'Sourdough',
    text: 'Sourdough bread needs a lively starter and a long, cool rise.',
    url: '#bread',
  },
  {
    id: 'tea',
    title: 'Green tea',
    text: 'Brew green tea at 80 °C for two minutes; boiling water makes it bitter.',
    url: '#tea',
  },
  {
    id: 'bike',
    title: 'Bicycle chains',
    text: 'Clean and oil a bicycle chain every few hundred kilometres.',
    url: '#bike',
  },
  {
    id: 'password',
    title: 'Passwords',
    text: 'To reset your password, open Settings, then Security, then Reset.',
    url: '#password',
  },
  {
    id: 'tomato',
    title: 'Tomatoes',
    text: 'Tomato plants want full sun, deep watering and a stake to climb.',
    url: '#tomato',
  },
  {
    id: 'backup',
    title: 'Backups',
    text: 'Keep three copies of your data, on two media, one of them off site.',
    url: '#backup',
  },
  { id: 'chat', title: 'Le chat', text: 'Le chat dort sur le canapé tout l’après-midi.', url: '#chat' },
  { id: 'rain', title: '雨', text: '明天会下雨，记得带伞。', url: '#rain' },
  {
    id: 'running',
    title: 'Running',
    text: 'Build up running distance by no more than ten percent a week.',
    url: '#running',
  },
  { id: 'tax', text: 'File your tax return before the end of April to avoid a late fee.' },
];

/** The last one is the plain site's visitor query: no item contains it, so finding it in a request would be a leak. */
export const QUERIES = ['how do I bake bread', 'I forgot my password', 'when should zucchini blossoms be picked'];

export interface WidgetData {
  /** Folder served as /widget-data/ by the specs. */
  dir: string;
  /** The CLI's `embed` vector of each item's text ([DIMENSIONS]), by id. */
  documents: Map<string, number[]>;
  /** The CLI's `embed --query --instruction INSTRUCTION` vector of each query. */
  queries: Map<string, number[]>;
}

function cli(args: string[], input: string): string {
  const run = spawnSync(process.execPath, ['bin/tabembed.js', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`tabembed ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

function embeddings(stdout: string): number[][] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { embedding: number[] }).embedding);
}

// --backend wasm: onnxruntime-web's WASM kernels, the ones the page runs (see the spec on tolerances).
const INDEX_ARGS = [
  '--model',
  MODEL_DIR,
  '--model-id',
  MODEL_URL,
  '--dimensions',
  String(DIMENSIONS),
  '--instruction',
  INSTRUCTION,
  '--backend',
  'wasm',
];

/**
 * A compact (version 2) index of ITEMS, as `tabembed index --out` writes it, in a fresh folder
 * (the CLI must be built: makeWidgetData builds it). Returns the folder.
 */
export function makeCompactIndex(
  encoding: 'float32' | 'int8' | 'binary',
  shardRows: number,
  options: { lexical?: boolean } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'tabembed-compact-'));
  const jsonl = `${ITEMS.map((item) => JSON.stringify(item)).join('\n')}\n`;
  const lexical = options.lexical ? ['--lexical'] : [];
  cli(
    ['index', ...INDEX_ARGS, '--out', dir, '--encoding', encoding, '--shard-rows', String(shardRows), ...lexical],
    jsonl,
  );
  return dir;
}

/**
 * The plain widget site's folders (e2e/sites/widget/index.html), the package's dist/lib at
 * /tabembed/ and `search` (an index folder) at /search/. Throws when dist/lib was not built.
 */
export function widgetSiteMounts(search: string): Record<string, string> {
  const lib = 'dist/lib';
  if (!existsSync(`${lib}/widget.js`))
    throw new Error(`${lib}/widget.js is missing: run \`npm run build:lib\` first (npm test does)`);
  return { '/': 'e2e/sites/widget', '/tabembed/': lib, '/models/': 'public/models', '/search/': search };
}

/**
 * Writes index.json (q8, the CLI's default on this model), index-q4.json (for the mismatch),
 * corpus.json (a JSON array) and corpus.jsonl into a fresh folder, and returns the reference
 * vectors.
 */
export function makeWidgetData(): WidgetData {
  execFileSync('npm', ['run', 'build:cli'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'tabembed-widget-'));
  const jsonl = `${ITEMS.map((item) => JSON.stringify(item)).join('\n')}\n`;
  const common = INDEX_ARGS;
  writeFileSync(join(dir, 'index.json'), cli(['index', ...common], jsonl));
  writeFileSync(join(dir, 'index-q4.json'), cli(['index', ...common, '--dtype', 'q4'], jsonl));
  writeFileSync(join(dir, 'corpus.json'), JSON.stringify(ITEMS.map((item) => item.text)));
  writeFileSync(join(dir, 'corpus.jsonl'), jsonl);
  const docVectors = embeddings(
    cli(
      ['embed', '--model', MODEL_DIR, '--backend', 'wasm', '--dtype', 'q8', '--dimensions', String(DIMENSIONS)],
      jsonl,
    ),
  );
  // One CLI run per query, as the page embeds it: alone. q8 quantises activations per tensor
  // (DynamicQuantizeLinear), so a row's vector depends on the rows batched with it; two queries
  // in one batch moved a score by 3.6e-3 on this fixture.
  const queryVectors = QUERIES.map(
    (q) =>
      embeddings(
        cli(
          [
            'embed',
            '--model',
            MODEL_DIR,
            '--backend',
            'wasm',
            '--dtype',
            'q8',
            '--dimensions',
            String(DIMENSIONS),
            '--query',
            '--instruction',
            INSTRUCTION,
          ],
          `${JSON.stringify(q)}\n`,
        ),
      )[0] ?? [],
  );
  return {
    dir,
    documents: new Map(ITEMS.map((item, i) => [item.id, docVectors[i] ?? []])),
    queries: new Map(QUERIES.map((q, i) => [q, queryVectors[i] ?? []])),
  };
}

/** The ranking the widget should give: every item by cosine with the query, best first. */
export function expectedRanking(data: WidgetData, query: string): { id: string; score: number }[] {
  const q = data.queries.get(query) ?? [];
  return ITEMS.map((item) => ({ id: item.id, score: cosine64(q, data.documents.get(item.id) ?? []) })).sort(
    (a, b) => b.score - a.score,
  );
}

/** A result as search() and the `results` event give it. */
export interface WidgetResult {
  id: string;
  text: string;
  url: string | undefined;
  title: string | undefined;
  score: number;
}

/**
 * The widget's top-`limit` against the reference with tolerance: each result's score is its
 * item's reference cosine (± tolerance), results come best first, and no item left out scores
 * above the last one shown by more than tolerance (so near-ties may swap, nothing else may).
 * Returns the largest score difference seen.
 */
export function checkAgainstReference(
  data: WidgetData,
  results: WidgetResult[],
  query: string,
  limit: number,
  tolerance: number,
): number {
  const expected = expectedRanking(data, query);
  const reference = new Map(expected.map((e) => [e.id, e.score]));
  expect(results).toHaveLength(Math.min(limit, ITEMS.length));
  let worst = 0;
  results.forEach((r, i) => {
    const diff = Math.abs(r.score - (reference.get(r.id) ?? NaN));
    worst = Math.max(worst, diff);
    expect(diff).toBeLessThanOrEqual(tolerance);
    if (i > 0) expect(r.score).toBeLessThanOrEqual(results[i - 1]?.score ?? Infinity);
    const item = ITEMS.find((it) => it.id === r.id);
    expect({ text: r.text, url: r.url, title: r.title }).toEqual({
      text: item?.text,
      url: item?.url,
      title: item?.title,
    });
  });
  const shown = new Set(results.map((r) => r.id));
  const last = results.at(-1)?.score ?? -Infinity;
  for (const e of expected) if (!shown.has(e.id)) expect(e.score).toBeLessThanOrEqual(last + tolerance);
  return worst;
}
