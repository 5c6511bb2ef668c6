import type { LoadProgress } from '../client/index.ts';

const PHASE_TEXT = {
  resolve: 'Finding the model files',
  download: 'Downloading',
  verify: 'Checking the files',
  compile: 'Creating the session',
  warmup: 'Warming up',
  ready: 'Ready',
} as const satisfies Record<LoadProgress['phase'], string>;

export interface ProgressView {
  /** Phase in words; a polite live region, updated only when the phase changes. */
  phase: HTMLElement;
  /** File and bytes; not live, it changes many times a second. */
  detail: HTMLElement;
  bar: HTMLProgressElement;
}

export function renderProgress(view: ProgressView, event: LoadProgress): void {
  const phase = PHASE_TEXT[event.phase];
  if (view.phase.textContent !== phase) view.phase.textContent = phase;
  const bytes = event.loaded === undefined ? '' : event.total ? `${formatBytes(event.loaded)} of ${formatBytes(event.total)}` : formatBytes(event.loaded);
  view.detail.textContent = [event.file, bytes].filter(Boolean).join(': ');
  // A bar only when the total is known; an indeterminate one would say nothing new.
  if (event.total && event.loaded !== undefined) {
    view.bar.max = event.total;
    view.bar.value = event.loaded;
    view.bar.hidden = false;
  } else {
    view.bar.hidden = true;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
