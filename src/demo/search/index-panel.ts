import type { IndexingProgress, IndexStatus } from '../../protocol/search-api.ts';
import { fingerprintDifferences } from '../../search/fingerprint.ts';
import { formatBytes, formatDuration } from '../model/load-progress.ts';

export interface IndexPanelView {
  bar: HTMLProgressElement;
  detail: HTMLElement;
  status: HTMLElement;
  mismatch: HTMLElement;
  mismatchText: HTMLElement;
  sources: HTMLUListElement;
}

/** "3 sources, 41 chunks, 41 embedded · in memory: float32 vectors 10.3 KB" and the like. */
export function statusText(status: IndexStatus): string {
  if (status.chunks === 0) return 'No texts yet: add the sample corpus, files or a pasted text.';
  const parts = [
    `${status.sources.length} ${status.sources.length === 1 ? 'source' : 'sources'}, ${status.chunks} chunks, ${status.embedded} embedded`,
    status.pending > 0 ? `${status.pending} waiting` : '',
    status.embedded > 0
      ? `in memory: ${status.memory.keeps === 'int8' ? 'int8 codes' : 'float32 vectors'} ${formatBytes(status.memory.bytes)}`
      : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The bar, the rate line and the sources list follow the store's status. */
export function renderStatus(
  view: IndexPanelView,
  status: IndexStatus,
  onRemove: (sourceId: string) => void,
  busy: boolean,
): void {
  view.bar.max = Math.max(1, status.chunks);
  view.bar.value = status.embedded;
  view.status.textContent = statusText(status);
  view.mismatch.hidden = status.mismatch === undefined;
  if (status.mismatch) {
    const { stored, wanted } = status.mismatch;
    view.mismatchText.textContent = `The stored vectors were made differently from what this model gives: ${fingerprintDifferences(stored, wanted).join('; ')}. Vectors of two models are never mixed in one search: re-index your texts with this model (the texts are kept), or load the model the index was made with (${stored.model}, ${stored.dtype}).`;
  }
  view.sources.replaceChildren(
    ...status.sources.map((source) => {
      const li = document.createElement('li');
      li.dataset['sourceId'] = source.id;
      const name = document.createElement('span');
      name.className = 'source-name';
      name.textContent = source.name;
      const counts = document.createElement('span');
      counts.className = 'hint';
      counts.textContent = `${source.embedded} of ${source.chunks} chunks embedded`;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'secondary';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${source.name}`);
      remove.disabled = busy;
      remove.addEventListener('click', () => onRemove(source.id));
      li.append(name, ' ', counts, ' ', remove);
      return li;
    }),
  );
}

/** "412 of 1,200 chunks · 35.2 chunks/s · 23 s left". */
export function progressText(progress: IndexingProgress): string {
  const { status } = progress;
  const parts = [`${status.embedded} of ${status.chunks} chunks`];
  if (progress.doneThisRun > 0) parts.push(`${progress.chunksPerSecond.toFixed(1)} chunks/s`);
  if (progress.etaSeconds !== undefined && status.pending > 0)
    parts.push(`${formatDuration(progress.etaSeconds)} left`);
  return parts.join(' · ');
}
