import type { EmbedderInfo } from '../client/index.ts';

export interface Timings {
  loadMs: number;
  embedMs?: number;
  texts?: number;
}

/** What was loaded, where it runs and why, and how fast: a definition list of label/value pairs. */
export function renderModelDetails(list: HTMLDListElement, info: EmbedderInfo, timings: Timings): void {
  const rows: [string, string][] = [
    ['Model', info.revision ? `${info.model} @ ${info.revision}` : info.model],
    ['Model file', info.modelFile],
    ['Device', `${info.device} — ${info.deviceReason}`],
    ['Adapter', adapterText(info)],
    ['Dtype', `${info.dtype} — ${info.dtypeReason}`],
    ['Hidden size', String(info.hiddenSize)],
    ['Max tokens', String(info.maxTokens)],
  ];
  const budget = tokenBudget(info);
  if (budget !== undefined) rows.push(['Token budget', String(budget)]);
  rows.push(['Cache', info.cached ? 'stored in this browser' : 'not cached']);
  rows.push(['Load', `${Math.round(timings.loadMs)} ms`]);
  rows.push(['Cold start', `session ${Math.round(info.coldStart.loadMs)} ms, warm-up ${Math.round(info.coldStart.warmupMs)} ms`]);
  if (timings.embedMs !== undefined && timings.texts !== undefined) {
    const perSecond = timings.texts / (Math.max(timings.embedMs, 0.001) / 1000);
    rows.push(['Last embed', `${Math.round(timings.embedMs)} ms for ${timings.texts} texts (${perSecond.toFixed(1)} texts/s)`]);
  }

  renderRows(list, rows);
}

/** Before a model is loaded (or when none could be), the list holds just a status line. */
export function showStatusOnly(list: HTMLDListElement, status: string): void {
  renderRows(list, [['Status', status]]);
}

function renderRows(list: HTMLDListElement, rows: readonly [string, string][]): void {
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
  const name = [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ') || adapter.description || 'unnamed';
  const notes = [adapter.isFallbackAdapter ? 'fallback adapter' : '', adapter.shaderF16 ? 'shader-f16' : 'no shader-f16'].filter(Boolean);
  return `${name} (${notes.join(', ')})`;
}

/** `info()` has no token budget today; show one if a later engine adds it. */
function tokenBudget(info: EmbedderInfo): number | undefined {
  return 'tokenBudget' in info && typeof info.tokenBudget === 'number' ? info.tokenBudget : undefined;
}
