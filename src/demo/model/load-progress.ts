import type { LoadProgress } from '../../client/index.ts';

const PHASE_TEXT = {
  resolve: 'Finding the model files',
  download: 'Downloading',
  verify: 'Checking the files',
  compile: 'Creating the session',
  upload: 'Handing the weights to the session',
  warmup: 'Warming up',
  ready: 'Ready',
} as const satisfies Record<LoadProgress['phase'], string>;

export interface ProgressView {
  /** Phase in words; a polite live region, updated only when the phase changes. */
  phase: HTMLElement;
  /** Bytes, rate and time left for the whole load; not live, it changes many times a second. */
  detail: HTMLElement;
  bar: HTMLProgressElement;
}

/** What one load has shown so far: the bytes line outlives the download phase. */
export interface ProgressState {
  totalLoaded: number | undefined;
  totalBytes: number | undefined;
  /** Every byte so far came from this browser's cache (no network). */
  allFromCache: boolean;
}

export function startProgress(): ProgressState {
  return { totalLoaded: undefined, totalBytes: undefined, allFromCache: true };
}

/**
 * Folds one event into the load's state. Only `download` events carry whole-load totals; later
 * phases (compile, upload, warm-up) keep the last ones, so the line ends at "44.4 MB of 44.4 MB",
 * the size of what was loaded (the upload's own count shows on the bar: renderProgress).
 */
export function foldProgress(state: ProgressState, event: LoadProgress): ProgressState {
  if (event.phase === 'upload' || event.totalBytes === undefined || event.totalLoaded === undefined) return state;
  return {
    totalLoaded: event.totalLoaded,
    totalBytes: event.totalBytes,
    allFromCache: state.allFromCache && event.fromCache === true,
  };
}

/**
 * "12.3 MB of 44.4 MB · 8.1 MB/s · 3 s left" while bytes flow (rate and time left only when
 * known), "44.4 MB of 44.4 MB · from cache" when nothing came over the network; '' before the
 * totals are known.
 */
export function progressText(
  state: ProgressState,
  event: Pick<LoadProgress, 'phase' | 'bytesPerSecond' | 'etaSeconds'>,
): string {
  if (state.totalBytes === undefined || state.totalLoaded === undefined) return '';
  const parts = [`${formatBytes(state.totalLoaded)} of ${formatBytes(state.totalBytes)}`];
  const downloading = event.phase === 'download' && state.totalLoaded < state.totalBytes;
  if (downloading && event.bytesPerSecond !== undefined && event.bytesPerSecond > 0)
    parts.push(`${formatBytes(event.bytesPerSecond)}/s`);
  if (downloading && event.etaSeconds !== undefined && event.etaSeconds > 0)
    parts.push(`${formatDuration(event.etaSeconds)} left`);
  if (state.allFromCache) parts.push('from cache');
  return parts.join(' · ');
}

/** Returns the state after the event, for the next call. */
export function renderProgress(view: ProgressView, state: ProgressState, event: LoadProgress): ProgressState {
  const next = foldProgress(state, event);
  const phase = PHASE_TEXT[event.phase];
  if (view.phase.textContent !== phase) view.phase.textContent = phase;
  view.detail.textContent = progressText(next, event);
  // While the session takes the weights, the bar follows that count; the bytes line stays.
  if (event.phase === 'upload' && event.totalBytes !== undefined && event.totalLoaded !== undefined) {
    view.bar.max = event.totalBytes;
    view.bar.value = event.totalLoaded;
    view.bar.hidden = false;
    return next;
  }
  // A bar only when the whole load's size is known; an indeterminate one would say nothing new.
  if (next.totalBytes !== undefined && next.totalLoaded !== undefined && next.totalBytes > 0) {
    view.bar.max = next.totalBytes;
    view.bar.value = next.totalLoaded;
    view.bar.hidden = false;
  } else {
    view.bar.hidden = true;
  }
  return next;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** "3 s", "2 min 5 s", "1 h 4 min": rounded up, so the last second does not read "0 s". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}
