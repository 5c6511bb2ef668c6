/**
 * What a top-10 search costs in the search worker's index, float32 against int8 (int8 scan +
 * float32 rescoring), at 10,000 and 100,000 vectors of 1,024 dims (seeded random unit vectors):
 *
 * - Node: the in-memory parts (the scans, the candidates, rescoring from memory), the memory
 *   each index holds, and recall@10 against exact search, with int8 alone for comparison. Node
 *   and Chromium share V8, so the scans' times carry over to the worker.
 * - Chromium (search-idb.ts): the real worker on real IndexedDB at 100,000 × 1,024, where an
 *   index that keeps int8 reads its candidates' rows from the store.
 *
 * Writes bench/search-latency.md. A measurement, not a test: nothing passes or fails on a number.
 *
 *   npm run bench:search [-- --queries 25] [-- --skip-chromium]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Int8Rows } from '../src/search/int8-rows.ts';
import { int8RecallOf, recallAtK } from '../src/search/recall.ts';
import { sampleRows } from '../src/search/sample-rows.ts';
import { meanOfRows, VectorIndex } from '../src/search/vector-index.ts';
import { randomUnitVectors } from '../tests/search/random-unit-vectors.ts';
import { ROOT } from './bench-args.ts';
import { runIdbBench, type IdbBench, type Spread } from './search-idb.ts';
import { EARLIER_RUNS, searchLatencyMd, type NodeRow } from './search-latency-md.ts';

const DIMS = 1024;
const SIZES = [10_000, 100_000];
const K = 10;
const WARMUP = 3;
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const QUERIES = arg('--queries', 25);
const SKIP_CHROMIUM = process.argv.includes('--skip-chromium');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function spread(ms: number[]): Spread {
  const sorted = [...ms].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p of the samples at or below it.
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95) };
}

function time(queries: Float32Array, run: (query: Float32Array) => void): Spread {
  const query = (q: number): Float32Array => queries.subarray(q * DIMS, (q + 1) * DIMS);
  for (let q = 0; q < WARMUP; q++) run(query(QUERIES + q)); // let V8 optimise the kernels first
  const ms: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const started = performance.now();
    run(query(q));
    ms.push(performance.now() - started);
  }
  return spread(ms);
}

/** Heap and array-buffer bytes that `build` leaves reachable, after a full GC each side. */
function retained<T>(build: () => T): { value: T; bytes: number } {
  gc();
  const before = process.memoryUsage();
  const value = build();
  gc();
  const after = process.memoryUsage();
  return { value, bytes: after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers };
}

/** int8 alone (no rescoring) and the rounding error of its scores in units of scale·|q|, on the same codes the index builds. */
function int8Alone(
  vectors: Float32Array,
  n: number,
  queries: Float32Array,
  exact: string[][],
): { recall: number; worstErrorUnits: number } {
  const rows = new Int8Rows(DIMS);
  rows.centreOn(meanOfRows(vectors, DIMS, sampleRows(n)));
  rows.reserve(n);
  for (let row = 0; row < n; row++) rows.put(row, vectors, row * DIMS);
  const found: string[][] = [];
  let worst = 0;
  for (let q = 0; q < QUERIES; q++) {
    const query = queries.subarray(q * DIMS, (q + 1) * DIMS);
    found.push(rows.candidates(query, K, n, K).map(({ row }) => `v${row}`));
    if (q >= 5) continue; // the error of every row, for five queries
    let norm = 0;
    for (const value of query) norm += value * value;
    for (const { row, score } of rows.candidates(query, n, n, n)) {
      let dot = 0;
      for (let i = 0; i < DIMS; i++) dot += (query[i] ?? 0) * (vectors[row * DIMS + i] ?? 0);
      const unit = rows.scaleOf(row) * Math.sqrt(norm);
      if (unit > 0) worst = Math.max(worst, Math.abs(score - dot) / unit);
    }
  }
  return { recall: recallAtK(exact, found), worstErrorUnits: worst };
}

const rows: NodeRow[] = [];
const loadBefore = loadavg();
for (const size of SIZES) {
  const vectors = randomUnitVectors(size, DIMS, 1);
  const queries = randomUnitVectors(QUERIES + WARMUP, DIMS, 2);
  const ids = Array.from({ length: size }, (_, i) => `v${i}`);
  const float = retained(() => {
    const index = new VectorIndex(DIMS);
    index.add(ids, vectors, DIMS);
    return index;
  });
  const int8 = retained(() => {
    const index = new VectorIndex(DIMS, 'int8');
    index.centreOn(meanOfRows(vectors, DIMS, sampleRows(size)));
    index.add(ids, vectors, DIMS);
    return index;
  });
  const floatBytes = float.value.bytes; // before an int8 search builds codes beside the rows
  const float32Ms = time(queries, (q) => float.value.search(q, K, 'float32'));
  const candidates: number[] = [];
  const scanMs = time(queries, (q) => candidates.push(int8.value.candidates(q, K).length));
  const int8InMemoryMs = time(queries, (q) => float.value.search(q, K, 'int8'));
  const measured = queries.subarray(0, QUERIES * DIMS);
  const exact = Array.from({ length: QUERIES }, (_, q) =>
    float.value.search(measured.subarray(q * DIMS, (q + 1) * DIMS), K, 'float32').map((hit) => hit.chunkId),
  );
  const alone = int8Alone(vectors, size, measured, exact);
  const row: NodeRow = {
    vectors: size,
    float32: { bytes: floatBytes, retained: float.bytes, ms: float32Ms },
    int8: { bytes: int8.value.bytes, retained: int8.bytes, scanMs, inMemoryMs: int8InMemoryMs },
    candidates: spread(candidates.slice(-QUERIES)),
    candidatesMax: Math.max(...candidates.slice(-QUERIES)),
    recall: int8RecallOf(float.value, measured, K),
    recallAlone: alone.recall,
    worstErrorUnits: alone.worstErrorUnits,
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
const loadAfterNode = loadavg();

let chromium: IdbBench | undefined;
if (!SKIP_CHROMIUM) chromium = await runIdbBench(100_000, DIMS, QUERIES, WARMUP, [10, 30, 50, 100, 1000]);

const md = searchLatencyMd({
  date: new Date().toISOString().slice(0, 10),
  machine: `${availableParallelism()} cores (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}`,
  load: { before: loadBefore, afterNode: loadAfterNode, after: loadavg() },
  node: process.version,
  queries: QUERIES,
  warmup: WARMUP,
  k: K,
  dims: DIMS,
  rows,
  chromium,
});
// Earlier runs kept by hand below EARLIER_RUNS survive a new run; only the part above them is rewritten.
const file = join(ROOT, 'bench/search-latency.md');
const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
writeFileSync(file, previous.includes(EARLIER_RUNS) ? `${md}\n${previous.slice(previous.indexOf(EARLIER_RUNS))}` : md);
console.log(md);
