import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Row } from './report-table.ts';

/** One model the bench runs, with the texts it runs on (a prefix of the corpus). */
export interface BenchModel {
  /** The folder's name: the rows' "model" column, transformers.js's model id, the URL under /models/. */
  name: string;
  /** Its folder (config.json, tokenizer, onnx/). */
  dir: string;
  /** The folder above it: transformers.js's localModelPath in Node. */
  root: string;
  texts: string[];
  textsFile: string;
  tokenCounts: number[];
  totalTokens: number;
}

/** What every phase of one bench run shares: the corpus, limits, and where rows and notes go. */
export interface BenchContext {
  quick: boolean;
  workDir: string;
  /** Each measured run is repeated and the fastest kept: other work on a shared machine only ever slows a run down. */
  reps: number;
  childTimeout: number;
  rows: Row[];
  notes: string[];
  log: (line: string) => void;
}

/** The model in `dir`, on the first `count` texts of the corpus. */
export function benchModel(
  ctx: BenchContext,
  dir: string,
  corpus: { texts: string[]; tokenCounts: number[] },
  count: number,
): BenchModel {
  const name = basename(dir);
  const texts = corpus.texts.slice(0, count);
  const tokenCounts = corpus.tokenCounts.slice(0, count);
  const textsFile = join(ctx.workDir, `texts-${name}.json`);
  writeFileSync(textsFile, JSON.stringify(texts));
  return {
    name,
    dir,
    root: dirname(dir),
    texts,
    textsFile,
    tokenCounts,
    totalTokens: tokenCounts.reduce((a, b) => a + b, 0),
  };
}

/** transformers.js's batch sizes: 0 = the whole list in one call (its default use). */
export const TJS_BATCHES = [0, 1, 8, 32, 128];
/** The batch sizes worth a run on `count` texts: one of `count` or more is the whole list again. */
export const tjsBatches = (count: number): number[] => TJS_BATCHES.filter((b) => b < count);
export const QUERY = { text: 'short query', runs: 50 };

export function batchLabel(batch: number, count: number): string {
  return batch === 0 ? `all (${count})` : String(batch);
}
