import type { Row } from './report-table.ts';

/** What every phase of one bench run shares: the corpus, limits, and where rows and notes go. */
export interface BenchContext {
  quick: boolean;
  workDir: string;
  tinyDir: string;
  texts: string[];
  textsFile: string;
  tokenCounts: number[];
  totalTokens: number;
  count: number;
  /** Each measured run is repeated and the fastest kept: other work on a shared machine only ever slows a run down. */
  reps: number;
  childTimeout: number;
  rows: Row[];
  notes: string[];
  log: (line: string) => void;
}

/** transformers.js's batch sizes: 0 = the whole list in one call (its default use). */
export const TJS_BATCHES = [0, 1, 8, 32, 128];
export const QUERY = { text: 'short query', runs: 50 };

export function batchLabel(batch: number, count: number): string {
  return batch === 0 ? `all (${count})` : String(batch);
}
