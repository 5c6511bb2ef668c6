/** bench/search-latency.md from one bench:search run (search-latency.ts, search-idb.ts). */
import type { IndexPrecision } from '../src/protocol/search-data.ts';
import type { IdbBench, Spread } from './search-idb.ts';

export interface NodeRow {
  vectors: number;
  /** bytes: the index's typed arrays (VectorIndex.bytes); retained: heap + array buffers it left reachable (ids included). */
  float32: { bytes: number; retained: number; ms: Spread };
  int8: { bytes: number; retained: number; scanMs: Spread; inMemoryMs: Spread };
  candidates: Spread;
  candidatesMax: number;
  recall: number;
  recallAlone: number;
  /** Largest |int8 score − exact| over every row of five queries, in units of scale·|q| (τ is 3.27 of them). */
  worstErrorUnits: number;
}

export interface SearchLatencyRun {
  date: string;
  machine: string;
  load: { before: number[]; afterNode: number[]; after: number[] };
  node: string;
  queries: number;
  warmup: number;
  k: number;
  dims: number;
  rows: NodeRow[];
  chromium: IdbBench | undefined;
}

/** The heading under which bench/search-latency.md keeps earlier runs, by hand. */
export const EARLIER_RUNS = '## Earlier runs';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (s: Spread): string => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`;
const n = (value: number): string => value.toLocaleString('en-US');
const loads = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' / ');

function chromiumPart(run: IdbBench, k: number): string[] {
  const of = (precision: IndexPrecision) => run.runs.find((r) => r.precision === precision);
  const ways = Object.entries(run.readWays);
  const counts = Object.keys(ways[0]?.[1] ?? {});
  return [
    `## The search worker on real IndexedDB (Chromium), ${n(run.rows)} × ${n(run.dims)}`,
    '',
    `${run.chromium}, headless, e2e/pages/search-bench.html served by \`vite preview\` from a production build. Storing the vectors took ${(run.fillMs / 1000).toFixed(0)} s. Times in ms, median / p95, top-${k}; the worker's own clock (what the search page shows) and the page's round trip through Comlink.`,
    '',
    "| precision | held by the index (typed arrays) | Chromium: the search worker's memory | open (load from IndexedDB) | search, worker | search, round trip | int8 recall@10 vs exact | switch to the other |",
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...(['float32', 'int8'] as const).flatMap((precision) => {
      const r = of(precision);
      if (!r) return [];
      return [
        `| ${precision} | ${mb(r.memory.bytes)} | ${r.workerBytes === undefined ? 'n/a' : mb(r.workerBytes)} | ${(r.openMs / 1000).toFixed(1)} s | ${ms(r.worker)} | ${ms(r.roundTrip)} | ${r.recall.toFixed(3)} | ${(r.switchMs / 1000).toFixed(1)} s |`,
      ];
    }),
    '',
    '"Chromium: the search worker\'s memory" is what `performance.measureUserAgentSpecificMemory()` attributes to the worker after a GC (the page is cross-origin isolated). int8 search with the rows in IndexedDB = the int8 scan + one readonly transaction that gets the candidates\' rows by key + rescoring them. The recall is measured in that precision: for int8, the truth is an exact scan of the whole store, page by page.',
    '',
    `Reading n random rows of the ${n(run.rows)} (each a ${n(run.dims)}-float record), ms, median / p95 over 9 draws:`,
    '',
    `| way | ${counts.map((c) => `${c} rows`).join(' | ')} |`,
    `|---|${counts.map(() => '---:').join('|')}|`,
    ...ways.map(
      ([way, byCount]) =>
        `| ${way} | ${counts.map((c) => (byCount[Number(c)] ? ms(byCount[Number(c)] as Spread) : '')).join(' | ')} |`,
    ),
    '',
  ];
}

export function searchLatencyMd(run: SearchLatencyRun): string {
  return [
    `# Search: float32 against int8 (int8 scan + float32 rescoring)`,
    '',
    `\`npm run bench:search\` (bench/search-latency.ts), ${run.date}.`,
    '',
    `- Machine: ${run.machine}; load average (1/5/15 min) ${loads(run.load.before)} before, ${loads(run.load.afterNode)} after the Node part, ${loads(run.load.after)} at the end (shared with other engineers' builds and tests: compare rows of one run only).`,
    `- Vectors: seeded random unit vectors (Gaussian, L2-normalised), ${n(run.dims)} dims; ${run.queries} random unit queries after ${run.warmup} warm-up ones; one thread, k = ${run.k}.`,
    "- int8: each vector's residual from a centre (the mean of up to 2,000 sample rows) as per-vector symmetric codes with one float scale. An int8 search scans the codes, keeps every row whose int8 score is within 2τ of the k-th best (τ bounds the rounding error, src/search/rescore.ts), and scores those candidates exactly in float32.",
    '',
    `## In memory (Node ${run.node})`,
    '',
    'The scans are plain JS over typed arrays in V8, the engine Chromium runs the search worker with. Times in ms, median / p95.',
    '',
    '| vectors | float32: index memory | int8: index memory | float32 search | int8 scan (candidates) | int8 search, rows in memory |',
    '|---:|---:|---:|---:|---:|---:|',
    ...run.rows.map(
      (r) =>
        `| ${n(r.vectors)} | ${mb(r.float32.bytes)} (${mb(r.float32.retained)} retained) | ${mb(r.int8.bytes)} (${mb(r.int8.retained)} retained) | ${ms(r.float32.ms)} | ${ms(r.int8.scanMs)} | ${ms(r.int8.inMemoryMs)} |`,
    ),
    '',
    '"index memory" is the typed arrays the index holds (`VectorIndex.bytes`: rows, or codes + scales + centre); "retained" is what building it left reachable after a GC (heap + array buffers), the ids and their map included.',
    '',
    `| vectors | int8 candidates per query (median / p95, max) | recall@${run.k} vs exact: int8 + rescoring | int8 alone | largest int8 error (× scale·\\|q\\|; τ = 3.27) |`,
    '|---:|---:|---:|---:|---:|',
    ...run.rows.map(
      (r) =>
        `| ${n(r.vectors)} | ${r.candidates.median} / ${r.candidates.p95}, ${r.candidatesMax} | ${r.recall.toFixed(3)} | ${r.recallAlone.toFixed(3)} | ${r.worstErrorUnits.toFixed(2)} |`,
    ),
    '',
    ...(run.chromium ? chromiumPart(run.chromium, run.k) : ['(Chromium part skipped: --skip-chromium.)', '']),
    "Reading the tables: the int8 scan reads a quarter of the bytes but converts every code to float in the inner loop, so in JavaScript it runs at about the speed of the float32 scan, not faster. What int8 buys is memory: with it on, the search worker holds the codes (about a quarter of the float32 rows) and reads only its candidates' rows from IndexedDB, a few dozen per query, which the table of reads above prices. Opening an index reads every stored row in either precision (an int8 index quantises them as they arrive), so opening costs the same. Random vectors are the hard case for int8: with no clusters, the top-10 cosines lie close together, so int8 alone swaps near-ties at 10th place; rescoring puts them back in order.",
    '',
  ].join('\n');
}
