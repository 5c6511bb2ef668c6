/** The warm-query table and bench/results.md: machine, versions, date, corpus, tables, notes, the JSON line. */
import { availableParallelism } from 'node:os';
import type { BrowserRun } from './chromium-runs.ts';
import type { ChildResult } from './node-child.ts';
import { median } from './process-memory.ts';
import { fmt } from './report-table.ts';
import { overhead } from './summary.ts';

/** One warm-query measurement: where and on which model it ran. */
export interface QueryRun {
  label: string;
  result: ChildResult | BrowserRun | undefined;
}

export function queryTableOf(runs: readonly QueryRun[]): string {
  const queryLines = runs
    .filter((x): x is { label: string; result: ChildResult | BrowserRun } => x.result !== undefined)
    .map(({ label, result: r }) =>
      r.ok && r.tabembedTimes && r.bareTimes
        ? `| ${label} | ${fmt(median(r.tabembedTimes), 3)} | ${fmt(median(r.bareTimes), 3)} | ${fmt(median(r.tabembedTimes) - median(r.bareTimes), 3)} | ${fmt(overhead(r), 3)} |`
        : `| ${label} | — | — | — | FAILED: ${(r.error ?? 'not measured').replace(/\|/g, '/')} |`,
    );
  return [
    '| warm query "short query" (q8, p50 of 50) | tabembed embed() ms | bare session.run ms | difference ms | ratio |',
    '|---|---|---|---|---|',
    ...queryLines,
  ].join('\n');
}

/** Labels for the query table's rows: `node wasm (onnxruntime-web, 2 threads)`, … */
export const queryLabels = {
  native: 'node native (onnxruntime-node)',
  wasm: `node wasm (onnxruntime-web, ${Math.min(4, availableParallelism())} threads)`,
  chromium: 'chromium wasm (worker + Comlink)',
} as const;

/** Which threads each contender ran on; `chromiumThreads` is what tabembed's worker chose. */
export function threadsNoteOf(chromiumThreads: number | undefined): string {
  return (
    'Threads: onnxruntime-node uses its default intra-op pool (both contenders, same process options); tabembed --backend wasm in Node runs onnxruntime-web on min(4, cores) threads (src/engine/node/ort-wasm.ts), and transformers.js on onnxruntime-web gets the same, ' +
    'so "ort_web_vs_node" compares those WASM threads with the native pool on the same machine ("CPU cores busy" = CPU time ÷ wall time shows what each used); ' +
    `in Chromium both contenders get numThreads = min(4, hardwareConcurrency) = ${chromiumThreads === undefined ? '?' : String(chromiumThreads)} (tabembed's worker choice, set on transformers.js's onnxruntime env too), and "ort_web_chromium_vs_node_native" compares that with native.`
  );
}

export interface ResultsPage {
  quick: boolean;
  seconds: number;
  machine: { nproc: number; memGiB: number; cpu: string };
  versions: Record<string, string>;
  corpusLine: string;
  /** Which model and texts the headline figures come from. */
  headlineLine: string;
  tableText: string;
  queryTable: string;
  threadsNote: string;
  notes: string[];
  jsonLine: string;
  /** 1-minute load average at the start and the end of the run: other work on a shared machine. */
  load: { start: number; end: number };
  /** The results.md this run replaces, so its figures stay beside the new ones. */
  previous: string | undefined;
}

const PREVIOUS_HEADING = '## Previous run, for comparison';

/**
 * The run before this one, reduced to its date, throughput table and JSON line. Only one run
 * back: its own "previous run" section is dropped, so the file does not grow run after run.
 */
export function previousRunSection(previous: string | undefined): string[] {
  if (!previous) return [];
  const current = previous.split(PREVIOUS_HEADING)[0] ?? '';
  const written = /^Written by .*$/m.exec(current)?.[0];
  const throughput = current.split('## Throughput and memory')[1]?.split('\n## ')[0] ?? '';
  const table = throughput.split('\n').filter((line) => line.startsWith('|'));
  const json = /```json\n(.*)\n```/.exec(current)?.[1];
  if (!written || table.length === 0) return [];
  return [
    PREVIOUS_HEADING,
    '',
    written.replace(/^Written by/, 'Was written by'),
    '',
    ...table,
    '',
    ...(json ? ['```json', json, '```', ''] : []),
  ];
}

export function resultsMarkdown(page: ResultsPage): string {
  const {
    quick,
    machine: m,
    versions,
    corpusLine,
    headlineLine,
    tableText,
    queryTable,
    threadsNote,
    notes,
    jsonLine,
  } = page;
  return [
    '# tabembed benchmark results',
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/bench.ts) on ${new Date().toISOString()}, in ${fmt(page.seconds, 0)} s; 1-minute load average ${fmt(page.load.start, 1)} at the start, ${fmt(page.load.end, 1)} at the end.`,
    '',
    '## Machine and versions',
    '',
    `- machine: ${m.nproc} CPUs (nproc), ${m.memGiB.toFixed(1)} GiB memory, CPU model "${m.cpu}", ${process.platform} ${process.arch}; no GPU used (WASM only)`,
    ...Object.entries(versions).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Corpus',
    '',
    `Deterministic (bench/corpus.ts, seeded PRNG over word lists in 7 languages plus code): ${corpusLine}. Tokens are counted as tabembed feeds them (documents, <|endoftext|> included).`,
    '',
    '## Throughput and memory',
    '',
    'Each row is its own child process (node) or its own browser launch (chromium), after load and one unmeasured pass over the texts (V8 moves wasm kernels from Liftoff to TurboFan code while they run; a measured run finds them settled). "peak MB" is the process\'s VmHWM (node, RSS) or the highest sampled sum of PSS over the Chromium process tree (load included; sampled every 50 ms, each process\'s PSS read once a second and estimated in between from its RSS, see bench/process-memory.ts); "loaded MB" is the same measure once the model is loaded and warmed up. transformers.js: `pipeline(\'feature-extraction\', …, { dtype, device })` called with `{ pooling: \'last_token\', normalize: true }` on the whole list ("all") or on chunks of N. "vs tabembed" = tabembed texts/s ÷ this row\'s, and tabembed peak ÷ this row\'s peak.',
    '',
    tableText,
    '',
    '## Warm single short query',
    '',
    queryTable,
    '',
    '## Notes',
    '',
    `- ${threadsNote}`,
    ...notes.map((n) => `- ${n}`),
    '',
    "## Summary (the runner's last line)",
    '',
    headlineLine,
    '',
    '```json',
    jsonLine,
    '```',
    '',
    ...previousRunSection(page.previous),
  ].join('\n');
}
