/** bench/site-search.md: the comparison's tables and how they were measured. */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { median } from '../process-memory.ts';
import type { Bytes, SearchRun } from './site-browser.ts';
import type { FileGroups, IndexBuild } from './site-indexes.ts';

export interface EngineResult {
  name: string;
  index: IndexBuild;
  /** One list of repetitions per query, in SITE_QUERIES' order. */
  runs: SearchRun[][];
}

export interface SiteSearchReport {
  started: string;
  pages: number;
  sections: number;
  reps: number;
  queries: readonly string[];
  engines: EngineResult[];
}

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);
const ms = (x: number): string => x.toFixed(0);
const noModel = (b: Bytes): number => b.page + b.library + b.index;
const med = (runs: SearchRun[], f: (r: SearchRun) => number): number => median(runs.map(f));

function modelCell(runs: SearchRun[]): string {
  const bytes = med(runs, (r) => r.modelBytes);
  const done = runs.map((r) => r.modelDoneMs).filter((x): x is number => x !== undefined);
  if (bytes === 0) return 'none';
  return `${kb(bytes)} KB, last byte ${done.length ? ms(median(done)) : '?'} ms after the first key`;
}

function summary(engines: EngineResult[]): string {
  const lines = [
    '| engine | index on disk | gzip | index time | first results (median) | whole query | sent by first results, model excluded | gzip-equivalent | of it: index files | model files sent |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const e of engines) {
    const all = e.runs.flat();
    lines.push(
      `| ${e.name} | ${mb(e.index.bytes)} MB (${e.index.files} files) | ${mb(e.index.gzipBytes)} MB | ${e.index.seconds.toFixed(1)} s | ` +
        `${ms(med(all, (r) => r.firstMs))} ms | ${ms(med(all, (r) => r.fullMs))} ms | ${kb(med(all, (r) => noModel(r.raw)))} KB | ` +
        `${kb(med(all, (r) => noModel(r.gzip)))} KB | ${kb(med(all, (r) => r.raw.index))} KB | ${modelCell(all)} |`,
    );
  }
  return lines.join('\n');
}

function perQuery(engines: EngineResult[], queries: readonly string[]): string {
  const lines = [
    '| engine | query | first results | whole query | typing | page | library | index | gzip-eq. (no model) | model by first results | load avg (1 min) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const e of engines)
    e.runs.forEach((runs, q) => {
      const firstQueries = [...new Set(runs.map((r) => r.firstQuery))].map((x) => `"${x}"`).join(', ');
      lines.push(
        `| ${e.name} | ${queries[q] ?? ''} (first: ${firstQueries}) | ${ms(med(runs, (r) => r.firstMs))} ms | ${ms(med(runs, (r) => r.fullMs))} ms | ${ms(med(runs, (r) => r.typingMs))} ms | ` +
          `${kb(med(runs, (r) => r.raw.page))} | ${kb(med(runs, (r) => r.raw.library))} | ${kb(med(runs, (r) => r.raw.index))} | ` +
          `${kb(med(runs, (r) => noModel(r.gzip)))} | ${kb(med(runs, (r) => r.raw.model))} | ${med(runs, (r) => r.load1).toFixed(2)} |`,
      );
    });
  return lines.join('\n');
}

/** File groups, largest first: `name` count × → KB. */
function groupList(groups: FileGroups): string {
  const list = Object.entries(groups).sort((a, b) => b[1].bytes - a[1].bytes);
  return list.map(([name, g]) => `\`${name}\` ${g.count} × → ${kb(g.bytes)} KB`).join(', ') || 'none';
}

export function siteSearchMarkdown(report: SiteSearchReport): string {
  const { started, pages, sections, reps, queries, engines } = report;
  const loads = engines.flatMap((e) => e.runs.flat().map((r) => r.load1));
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  return `# Site search: \`<semantic-search>\` and Pagefind on the same built site

Written by \`npm run bench:site -- --pages ${pages}\` (bench/site-search.ts, bench/site/) on ${started}, at commit ${commit}
(the widget as built from it into dist/lib),
${cpus().length} cores, load average (1 min) ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} during the runs.
A measurement, not a test.

**The site**: ${pages.toLocaleString('en')} generated pages (bench/site/site-pages.ts: a head, a header with nav, a \`<main>\`
with an h1 and two h2 sections with ids, a footer), ${sections.toLocaleString('en')} sections, texts from the seeded
multilingual bench corpus (bench/corpus.ts; English, German, French, Spanish, Russian, Chinese, Japanese and code).

**The indexes**, as a site owner makes them after the build:
- tabembed: \`tabembed index --site <site> --out <site>/search --lexical --encoding int8 --model public/models/qwen3-tiny
  --model-id /models/qwen3-tiny/\` (the built CLI): one item per section, int8 codes at the tiny fixture's
  64 dimensions in vector shards of 1,000 rows, item shards of 50 rows (title, url and a 200-character excerpt),
  and the BM25 postings in shards of about 12 KB by word range (index version 3). The real model would be indexed
  with \`--dimensions 256 --encoding int8\`: its vector files would be 4× those here (256 vs 64 bytes a row), the
  item and lexical shards the same.
- Pagefind 1.6.0: \`pagefind --site <site>\` with its defaults (\`data-pagefind-body\` on \`<main>\`).

"On disk" is every file of \`search/\` or \`pagefind/\`; "gzip" is every file gzipped on its own (level 9).

**The searches**: the site served by a node:http static server (e2e/support/static-site.ts), uncompressed,
dist/lib at /tabembed/ and the fixture at /models/qwen3-tiny/. Each run opens a fresh browser context (empty
cache and storage) in Chromium (/usr/bin/chromium, playwright.config.ts' flags), loads the search page
(bench/site/search-pages.ts: \`<semantic-search src="/search/index.json">\`, or an input calling Pagefind's JS
API: \`import('/pagefind/pagefind.js')\`, \`init()\`, \`search(q)\`, the first five results' \`data()\`), clicks
the input as soon as the page's load event fired and types the query, its keys sent back to back (as fast as a
paste: the time is then the engine's, not the typist's). Both search after a 200 ms pause in typing (the widget's
own pause, copied on the Pagefind page), so 200 ms of every time below is that pause; both start loading at page
load.
"First results" is the first \`results\` event after the first keystroke (the widget's own event; the Pagefind
page sends the same once the five \`data()\` objects are loaded), "whole query" the one for the whole query.
Bytes are response bodies the server sent by the first results (a response counts once handed to the socket),
split into page (HTML), library (/tabembed/ JS and wasm; Pagefind's pagefind*.js and wasm), index (search/,
the rest of pagefind/) and model files (/models/qwen3-tiny/: config.json, tokenizer*, onnx/*). The
gzip-equivalent column gzips each of those files (level 9), as a host that compresses would send them.
Queries: ${queries.map((q) => `"${q}"`).join(', ')}; ${reps} cold runs each per engine, taken in turn; medians.

## Summary (medians over ${queries.length} queries × ${reps} runs)

${summary(engines)}

Reading it:
- The model column is the tiny fixture's q8 files (random weights, but the real 151,669-token vocabulary: a
  39 MB graph and the 5.4 MB tokenizer); Qwen3-Embedding-0.6B at q8 is about 600 MB. Whatever the widget
  fetched from the model's URL is listed there, never in the other columns.
- tabembed's library column is mostly onnxruntime-web's wasm (dist/lib/assets/ort-wasm-simd-threaded-*.wasm,
  14 MB): a widget that answers before the model loads need not fetch it before its first results.
- Pagefind's folder also holds its UI bundles and both wasm builds (about 0.6 MB, listed below), counted in its
  size on disk; tabembed's library is dist/lib, not in its index folder.
- Pagefind's index files are gzipped when written (its \`.pf_*\` files and wasm), so its gzip column is close to raw.
- The machine was loaded (see the load average): the times are slower than on a quiet machine, for both engines.

## Index files sent by the first results (first run of "${queries[0] ?? ''}"; numbers and hashes shown as \`*\`)

${engines.map((e) => `- ${e.name}: ${groupList(e.runs[0]?.[0]?.indexFiles ?? {})}`).join('\n')}

## The indexes on disk, by kind of file

${engines.map((e) => `- ${e.name}: ${groupList(e.index.groups)}`).join('\n')}

## Per query (medians of ${reps}; bytes in KB, raw unless marked)

${perQuery(engines, queries)}
`;
}
