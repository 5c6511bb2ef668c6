import type { LoadProgress } from '../core/types.ts';
import type { FileProgress } from './file-reader.ts';

/** Rate is measured over this window: long enough to smooth chunk bursts, short enough to follow the link. */
const RATE_WINDOW_MS = 3000;

/**
 * Folds per-file byte counts into the load's one progress stream: totals, network rate, ETA.
 * Each file counts at most its highest byte count, so a download that restarts after a drop
 * never makes the total go backwards, and the total ends exactly at `totalBytes`.
 */
export class LoadProgressTracker {
  private readonly best = new Map<string, number>();
  private samples: { at: number; bytes: number }[] = [];
  private networkBytes = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly emit: (event: LoadProgress) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(progress: FileProgress): void {
    const previous = this.best.get(progress.file) ?? 0;
    const loaded = Math.max(previous, progress.loaded);
    this.best.set(progress.file, loaded);
    if (!progress.fromCache) this.networkBytes += loaded - previous;
    const at = this.now();
    this.samples.push({ at, bytes: this.networkBytes });
    this.samples = this.samples.filter((sample) => at - sample.at <= RATE_WINDOW_MS);
    const first = this.samples[0];
    const elapsed = first ? (at - first.at) / 1000 : 0;
    const bytesPerSecond = first && elapsed > 0 ? (this.networkBytes - first.bytes) / elapsed : undefined;
    const totalLoaded = Math.min(
      this.totalBytes,
      [...this.best.values()].reduce((sum, n) => sum + n, 0),
    );
    const remaining = this.totalBytes - totalLoaded;
    this.emit({
      phase: 'download',
      file: progress.file,
      loaded: progress.loaded,
      ...(progress.total === undefined ? {} : { total: progress.total }),
      totalLoaded,
      totalBytes: this.totalBytes,
      ...(bytesPerSecond === undefined ? {} : { bytesPerSecond }),
      ...(bytesPerSecond ? { etaSeconds: remaining / bytesPerSecond } : remaining === 0 ? { etaSeconds: 0 } : {}),
      fromCache: progress.fromCache,
    });
  }
}

/**
 * The `upload` phase: weight bytes onnxruntime has read while it creates the session, counted
 * from its real reads (`read`), never estimated. Totals only rise and stop at `totalBytes`; the
 * reads a runtime does not show (bytes handed over whole) are accounted for by `done`, called
 * once the session exists, which ends the phase exactly at the total.
 */
export class UploadProgressTracker {
  private loaded = 0;
  private shown = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly emit: (event: LoadProgress) => void,
  ) {}

  read(bytes: number): void {
    this.loaded += bytes;
    this.show(Math.min(this.totalBytes, this.loaded));
  }

  done(): void {
    this.show(this.totalBytes);
  }

  private show(totalLoaded: number): void {
    if (totalLoaded <= this.shown) return;
    this.shown = totalLoaded;
    this.emit({ phase: 'upload', totalLoaded, totalBytes: this.totalBytes });
  }
}
