import type { EmbedderInfo, EmbedderMetrics } from '../../client/index.ts';
import type { IndexStatus } from '../../protocol/search-api.ts';
import type { IndexPrecision } from '../../protocol/search-data.ts';
import { modelDetailRows, renderRows } from '../model/model-details.ts';
import { statusText } from './index-panel.ts';

/** What the page measured itself, beside the engine's own counters. */
export interface PageMetrics {
  loadMs: number;
  engine?: EmbedderMetrics;
  lastQuery?: { totalMs: number; embedMs: number; searchMs: number; precision: IndexPrecision };
  int8Recall?: { recall: number; queries: number; chunks: number };
}

/** Device, adapter and dtype with why they were chosen, throughput, the last query's latency and the index's size. */
export function renderMetrics(
  list: HTMLDListElement,
  info: EmbedderInfo,
  metrics: PageMetrics,
  status: IndexStatus | undefined,
): void {
  const rows = modelDetailRows(info, {
    loadMs: metrics.loadMs,
    ...(metrics.engine ? { metrics: metrics.engine } : {}),
  });
  const query = metrics.lastQuery;
  rows.push([
    'Last query',
    query
      ? `${Math.round(query.totalMs)} ms: embedding ${Math.round(query.embedMs)} ms, ${query.precision} search ${query.searchMs.toFixed(1)} ms`
      : 'none yet',
  ]);
  rows.push(['Index size', status ? statusText(status) : 'not open']);
  const recall = metrics.int8Recall;
  rows.push([
    'Int8 recall@10',
    recall
      ? `${recall.recall.toFixed(3)} against float32 (${recall.queries} sample queries, ${recall.chunks} chunks)`
      : 'not measured',
  ]);
  renderRows(list, rows);
}
