/**
 * The runner's last line: headline ratios (Chromium WASM, qwen3-tiny q8, transformers.js at its
 * best batch size) and per-configuration figures, as one JSON object.
 */
import { median } from './process-memory.ts';
import type { BrowserRun } from './chromium-runs.ts';
import type { ChildResult } from './node-child.ts';
import { agreement, peakOf, textsPerS, type Row } from './report-table.ts';

export interface SummaryInput {
  rows: Row[];
  quick: boolean;
  count: number;
  totalTokens: number;
  machine: string;
  queryNode: Record<string, ChildResult>;
  chromiumQuery: BrowserRun | undefined;
  batchLabel: (batch: number) => string;
  seconds: number;
}

/** tabembed's embed() p50 over a bare session.run's, on the same warm short query. */
export const overhead = (r: { tabembedTimes?: number[]; bareTimes?: number[] } | undefined): number | undefined =>
  r?.tabembedTimes && r.bareTimes ? median(r.tabembedTimes) / median(r.bareTimes) : undefined;

export const findRow = (rows: Row[], where: string, model: string, dtype: string, contender: string, batch?: string): Row | undefined =>
  rows.find((r) => r.where === where && r.model === model && r.dtype === dtype && r.contender === contender && (batch === undefined || r.batch === batch));

/** The tabembed row a transformers.js row is compared with ("vs tabembed"). */
export const tabembedOf = (rows: Row[], r: Row): Row | undefined =>
  findRow(rows, r.where, r.model, r.dtype, r.where === 'chromium wasm' ? 'tabembed' : r.where === 'node wasm' ? 'tabembed wasm' : 'tabembed native');

export const round = (x: number | undefined, d = 3): number | null => (x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));

export function buildSummary(input: SummaryInput): Record<string, unknown> {
  const { rows, quick, count, totalTokens, queryNode, chromiumQuery, batchLabel } = input;
  const find = (where: string, model: string, dtype: string, contender: string, batch?: string): Row | undefined => findRow(rows, where, model, dtype, contender, batch);
  const bestTjs = (where: string, model: string, dtype: string): Row | undefined =>
    rows
      .filter((r) => r.where === where && r.model === model && r.dtype === dtype && r.contender.startsWith('transformers') && r.result.ok)
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
  const chTab = find('chromium wasm', 'qwen3-tiny', 'q8', 'tabembed');
  const chBest = bestTjs('chromium wasm', 'qwen3-tiny', 'q8');
  const chDefault = find('chromium wasm', 'qwen3-tiny', 'q8', 'transformers.js (worker)', batchLabel(0));
  const nodeNative = find('node', 'qwen3-tiny', 'q8', 'tabembed native');
  const nodeWasm = find('node', 'qwen3-tiny', 'q8', 'tabembed wasm');
  /** texts/s per CPU core kept busy (CPU time ÷ wall time): the same-cores comparison when thread counts differ. */
  const perCore = (r: Row | undefined): number | undefined => {
    const tps = r ? textsPerS(r.result) : undefined;
    return tps && r?.result.cpuMs && r.result.ms ? tps / (r.result.cpuMs / r.result.ms) : undefined;
  };
  const summary: Record<string, unknown> = {
    tabembed_texts_per_s: round(chTab ? textsPerS(chTab.result) : undefined, 1),
    transformersjs_texts_per_s: round(chBest ? textsPerS(chBest.result) : undefined, 1),
    ratio: round(ratioOf(chTab, chBest)),
    memory_ratio: round(memRatioOf(chTab, chBest)),
    ort_web_vs_node: round(ratioOf(nodeWasm, nodeNative)),
    query_overhead: round(overhead(chromiumQuery)),
    machine: input.machine,
    mode: quick ? 'quick' : 'full',
    texts: count,
    tokens: totalTokens,
    transformersjs_best_batch: chBest?.batch ?? null,
    chromium_q8_ratio_vs_tjs_default: round(ratioOf(chTab, chDefault)),
    chromium_q8_memory_ratio_vs_tjs_default: round(memRatioOf(chTab, chDefault)),
    chromium_q8_agreement_cosine: round(agreement(chTab?.result, chBest?.result), 5),
    ort_web_chromium_vs_node_native: round(ratioOf(chTab, nodeNative)),
    ort_web_vs_node_per_busy_core: round(perCore(nodeWasm) && perCore(nodeNative) ? perCore(nodeWasm)! / perCore(nodeNative)! : undefined),
    query_overhead_node_native: round(overhead(queryNode['native'])),
    query_overhead_node_wasm: round(overhead(queryNode['wasm'])),
    query_p50_ms_chromium: round(chromiumQuery?.tabembedTimes ? median(chromiumQuery.tabembedTimes) : undefined),
    query_bare_p50_ms_chromium: round(chromiumQuery?.bareTimes ? median(chromiumQuery.bareTimes) : undefined),
  };
  for (const [where, model, dtypes, tabName] of [
    ['node', 'qwen3-tiny', ['q8', 'fp32'], 'tabembed native'],
    ['node wasm', 'qwen3-0.6b', ['q4', 'q8'], 'tabembed wasm'],
    ['chromium wasm', 'qwen3-tiny', ['fp32'], 'tabembed'],
  ] as const) {
    for (const dtype of dtypes) {
      const tab = find(where, model, dtype, tabName);
      const best = bestTjs(where, model, dtype);
      if (!tab && !best) continue;
      const key = `${where.replace(/ /g, '_')}_${model.replace(/[-.]/g, '_')}_${dtype}`;
      summary[`${key}_tabembed_texts_per_s`] = round(tab ? textsPerS(tab.result) : undefined, 1);
      summary[`${key}_transformersjs_texts_per_s`] = round(best ? textsPerS(best.result) : undefined, 1);
      summary[`${key}_ratio`] = round(ratioOf(tab, best));
      summary[`${key}_memory_ratio`] = round(memRatioOf(tab, best));
    }
  }
  summary['node_tiny_q8_agreement_cosine'] = round(agreement(nodeNative?.result, bestTjs('node', 'qwen3-tiny', 'q8')?.result), 5);
  summary['seconds'] = round(input.seconds, 1);
  return summary;
}
