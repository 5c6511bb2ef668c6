import type { EmbedderInfo, EmbedderMetrics } from '../../client/index.ts';

export interface Timings {
  loadMs: number;
  embedMs?: number;
  texts?: number;
  /** The engine's own counters, after the last embed. */
  metrics?: EmbedderMetrics;
}

/** What was loaded, where it runs and why, and how fast: a definition list of label/value pairs. */
export function renderModelDetails(list: HTMLDListElement, info: EmbedderInfo, timings: Timings): void {
  renderRows(list, modelDetailRows(info, timings));
}

/** The label/value pairs `renderModelDetails` shows, for pages that add rows of their own. */
export function modelDetailRows(info: EmbedderInfo, timings: Timings): [string, string][] {
  const rows: [string, string][] = [
    ['Model', info.revision ? `${info.model} @ ${info.revision}` : info.model],
    ['Model file', info.modelFile],
    ['Device', `${info.device} — ${info.deviceReason}`],
    ['Adapter', adapterText(info)],
    ['Dtype', `${info.dtype} — ${info.dtypeReason}`],
    ['Hidden size', String(info.hiddenSize)],
    ['Max tokens', String(info.maxTokens)],
  ];
  rows.push(['Token budget', `${info.tokenBudget} tokens per batch`]);
  if (info.canary)
    rows.push(['Numerics canary', `WebGPU vs WASM cosine ${info.canary.cosine.toFixed(5)}: ${info.canary.action}`]);
  if (info.fallback) rows.push(['Fallback', info.fallback]);
  rows.push(['Cache', info.cached ? 'stored in this browser' : 'not cached']);
  rows.push(['Load', `${Math.round(timings.loadMs)} ms`]);
  rows.push([
    'Cold start',
    `session ${Math.round(info.coldStart.loadMs)} ms, warm-up ${Math.round(info.coldStart.warmupMs)} ms`,
  ]);
  if (timings.embedMs !== undefined && timings.texts !== undefined) {
    const perSecond = timings.texts / (Math.max(timings.embedMs, 0.001) / 1000);
    rows.push([
      'Last embed',
      `${Math.round(timings.embedMs)} ms for ${timings.texts} texts (${perSecond.toFixed(1)} texts/s)`,
    ]);
  }
  const m = timings.metrics;
  if (m) {
    rows.push([
      'Throughput',
      `${Math.round(m.tokensPerSecond)} tokens/s, ${m.textsPerSecond.toFixed(1)} texts/s (session time, ${m.texts} texts in ${m.batches} batches)`,
    ]);
    rows.push(['Padding', `${(m.paddingRatio * 100).toFixed(1)} % of fed positions`]);
    rows.push([
      'Latency',
      `p50 ${Math.round(m.latencyMs.p50)} ms, p95 ${Math.round(m.latencyMs.p95)} ms over ${m.latencyMs.calls} calls; queue ${m.queueDepth}`,
    ]);
    rows.push(['Read back', `${formatKb(m.bytesReadBackLastBatch)} last batch, ${formatKb(m.bytesReadBack)} in all`]);
  }
  return rows;
}

/** Before a model is loaded (or when none could be), the list holds just a status line. */
export function showStatusOnly(list: HTMLDListElement, status: string): void {
  renderRows(list, [['Status', status]]);
}

/** Each row becomes <dt>label</dt><dd data-field="label-in-kebab-case">value</dd>. */
export function renderRows(list: HTMLDListElement, rows: readonly [string, string][]): void {
  list.replaceChildren(
    ...rows.flatMap(([label, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset['field'] = label.toLowerCase().replaceAll(' ', '-');
      return [dt, dd];
    }),
  );
}

function adapterText(info: EmbedderInfo): string {
  const adapter = info.adapter;
  if (!adapter) return 'none (not running on WebGPU)';
  const name =
    [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ') ||
    adapter.description ||
    'unnamed';
  const notes = [
    adapter.isFallbackAdapter ? 'fallback adapter' : '',
    adapter.shaderF16 ? 'shader-f16' : 'no shader-f16',
  ].filter(Boolean);
  return `${name} (${notes.join(', ')})`;
}

function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
