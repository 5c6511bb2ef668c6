/**
 * The runner's last line: headline ratios (Chromium WASM, the real-width qwen3-wide-2l at q8,
 * transformers.js at its best batch size) and per-configuration figures, as one JSON object.
 */
import { median } from './process-memory.ts';
import { batchLabel } from './bench-context.ts';
import type { BrowserRun } from './chromium-runs.ts';
import type { ChildResult } from './node-child.ts';
import { agreement, peakOf, textsPerS, type Row } from './report-table.ts';

export interface SummaryInput {
  rows: Row[];
  quick: boolean;
  /** The headline configuration: Chromium WASM, this model, q8, on its texts. */
  headline: { model: string; texts: number; tokens: number };
  machine: string;
  /** Warm short query on the headline model (Node native/wasm, Chromium) and on the tiny one in Chromium. */
  queryNode: Record<string, ChildResult>;
  chromiumQuery: BrowserRun | undefined;
  tinyChromiumQuery: BrowserRun | undefined;
  seconds: number;
}

/** tabembed's embed() p50 over a bare session.run's, on the same warm short query. */
export const overhead = (r: { tabembedTimes?: number[]; bareTimes?: number[] } | undefined): number | undefined =>
  r?.tabembedTimes && r.bareTimes ? median(r.tabembedTimes) / median(r.bareTimes) : undefined;

export const findRow = (
  rows: Row[],
  where: string,
  model: string,
  dtype: string,
  contender: string,
  batch?: string,
): Row | undefined =>
  rows.find(
    (r) =>
      r.where === where &&
      r.model === model &&
      r.dtype === dtype &&
      r.contender === contender &&
      (batch === undefined || r.batch === batch),
  );

/** The tabembed row a transformers.js row is compared with ("vs tabembed"). */
export const tabembedOf = (rows: Row[], r: Row): Row | undefined =>
  findRow(
    rows,
    r.where,
    r.model,
    r.dtype,
    r.where === 'chromium wasm' ? 'tabembed' : r.where === 'node wasm' ? 'tabembed wasm' : 'tabembed native',
  );

export const round = (x: number | undefined, d = 3): number | null =>
  x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d));

/** Per-configuration keys every JSON line has carried, kept (null when this run did not measure them). */
const ALWAYS: readonly [string, string, string][] = [
  ['node', 'qwen3-tiny', 'q8'],
  ['node', 'qwen3-tiny', 'fp32'],
];

export function buildSummary(input: SummaryInput): Record<string, unknown> {
  const { rows, quick, queryNode, chromiumQuery, headline } = input;
  const model = headline.model;
  const find = (where: string, m: string, dtype: string, contender: string, batch?: string): Row | undefined =>
    findRow(rows, where, m, dtype, contender, batch);
  const bestTjs = (where: string, m: string, dtype: string): Row | undefined =>
    rows
      .filter(
        (r) =>
          r.where === where &&
          r.model === m &&
          r.dtype === dtype &&
          r.contender.startsWith('transformers') &&
          r.result.ok,
      )
      .sort((a, b) => (textsPerS(b.result) ?? 0) - (textsPerS(a.result) ?? 0))[0];
  const ratioOf = (a: Row | undefined, b: Row | undefined): number | undefined => {
    const x = a ? textsPerS(a.result) : undefined;
    const y = b ? textsPerS(b.result) : undefined;
    return x && y ? x / y : undefined;
  };
  const memRatioOf = (a: Row | undefined, b: Row | undefined): number | undefined => {
    const x = a?.result.ok ? peakOf(a.result) : undefined;
    const y = b?.result.ok ? peakOf(b.result) : undefined;
    return x && y ? x / y : undefined;
  };
  const chTab = find('chromium wasm', model, 'q8', 'tabembed');
  const chBest = bestTjs('chromium wasm', model, 'q8');
  const chDefault = find('chromium wasm', model, 'q8', 'transformers.js (worker)', batchLabel(0, headline.texts));
  const nodeNative = find('node', model, 'q8', 'tabembed native');
  const nodeWasm = find('node', model, 'q8', 'tabembed wasm');
  /** texts/s per CPU core kept busy (CPU time ÷ wall time): the same-cores comparison when thread counts differ. */
  const perCore = (r: Row | undefined): number | undefined => {
    const tps = r ? textsPerS(r.result) : undefined;
    return tps && r?.result.cpuMs && r.result.ms ? tps / (r.result.cpuMs / r.result.ms) : undefined;
  };
  const load = chTab?.result.ok && 'loadPeakRss' in chTab.result ? chTab.result : undefined;
  const loadPeakOverBytes =
    load?.loadPeakRss !== undefined && load.loadBaseRss !== undefined && load.modelBytes
      ? (load.loadPeakRss - load.loadBaseRss) / load.modelBytes
      : undefined;
  const tinyQuery = input.tinyChromiumQuery;
  const kernelMs = chromiumQuery?.kernelMs;
  const summary: Record<string, unknown> = {
    tabembed_texts_per_s: round(chTab ? textsPerS(chTab.result) : undefined, 1),
    transformersjs_texts_per_s: round(chBest ? textsPerS(chBest.result) : undefined, 1),
    ratio: round(ratioOf(chTab, chBest)),
    memory_ratio: round(memRatioOf(chTab, chBest)),
    ort_web_vs_node: round(ratioOf(nodeWasm, nodeNative)),
    query_overhead: round(overhead(chromiumQuery)),
    machine: input.machine,
    mode: quick ? 'quick' : 'full',
    texts: headline.texts,
    tokens: headline.tokens,
    transformersjs_best_batch: chBest?.batch ?? null,
    chromium_q8_ratio_vs_tjs_default: round(ratioOf(chTab, chDefault)),
    chromium_q8_memory_ratio_vs_tjs_default: round(memRatioOf(chTab, chDefault)),
    chromium_q8_agreement_cosine: round(agreement(chTab?.result, chBest?.result), 5),
    ort_web_chromium_vs_node_native: round(ratioOf(chTab, nodeNative)),
    ort_web_vs_node_per_busy_core: round(
      perCore(nodeWasm) && perCore(nodeNative) ? perCore(nodeWasm)! / perCore(nodeNative)! : undefined,
    ),
    query_overhead_node_native: round(overhead(queryNode['native'])),
    query_overhead_node_wasm: round(overhead(queryNode['wasm'])),
    query_p50_ms_chromium: round(chromiumQuery?.tabembedTimes ? median(chromiumQuery.tabembedTimes) : undefined),
    query_bare_p50_ms_chromium: round(chromiumQuery?.bareTimes ? median(chromiumQuery.bareTimes) : undefined),
    model,
    chromium_vs_node_wasm: round(ratioOf(chTab, nodeWasm)),
    load_peak_over_model_bytes: round(loadPeakOverBytes),
    tiny_query_p50_ms_chromium: round(tinyQuery?.tabembedTimes ? median(tinyQuery.tabembedTimes) : undefined),
    tiny_query_bare_p50_ms_chromium: round(tinyQuery?.bareTimes ? median(tinyQuery.bareTimes) : undefined),
    // The kernels' floor (bench-page.ts bareKernels): tabembed's run and transformers.js's best,
    // each over the bare session.run time of the same texts, one per run. The second is the
    // highest ratio against transformers.js that any runtime running these kernels one text at a
    // time could reach.
    tabembed_over_kernels: round(kernelMs && chTab?.result.ms ? chTab.result.ms / kernelMs : undefined),
    transformersjs_over_kernels: round(kernelMs && chBest?.result.ms ? chBest.result.ms / kernelMs : undefined),
    // The same floor in Node (onnxruntime-web's WASM, bench/node-child.ts) over Chromium's: how
    // fast the browser runs the very kernels, with no tabembed code in the way.
    kernels_chromium_vs_node_wasm: round(
      kernelMs && queryNode['wasm']?.kernelMs ? queryNode['wasm'].kernelMs / kernelMs : undefined,
    ),
  };
  const configs = new Map<string, readonly [string, string, string]>();
  for (const c of [...ALWAYS, ...rows.map((r) => [r.where, r.model, r.dtype] as const)]) configs.set(c.join('|'), c);
  for (const [where, m, dtype] of configs.values()) {
    const probe: Row | undefined = rows.find((r) => r.where === where && r.model === m && r.dtype === dtype);
    const tab = probe ? tabembedOf(rows, probe) : undefined;
    const best = bestTjs(where, m, dtype);
    const key = `${where.replace(/ /g, '_')}_${m.replace(/[-.]/g, '_')}_${dtype}`;
    summary[`${key}_tabembed_texts_per_s`] = round(tab ? textsPerS(tab.result) : undefined, 1);
    summary[`${key}_transformersjs_texts_per_s`] = round(best ? textsPerS(best.result) : undefined, 1);
    summary[`${key}_ratio`] = round(ratioOf(tab, best));
    summary[`${key}_memory_ratio`] = round(memRatioOf(tab, best));
  }
  const tinyNative = find('node', 'qwen3-tiny', 'q8', 'tabembed native');
  summary['node_tiny_q8_agreement_cosine'] = round(
    agreement(tinyNative?.result, bestTjs('node', 'qwen3-tiny', 'q8')?.result),
    5,
  );
  summary['seconds'] = round(input.seconds, 1);
  return summary;
}
