/**
 * int8 search: the int8 scan picks the candidates it cannot rule out, float32 rescores them.
 * An index that keeps int8 holds codes only; its rows come from a Map here, standing in for
 * the IndexedDB store that the search service reads (e2e/search-store.spec.ts runs that path
 * on real IndexedDB). The reference is a float64 brute force written here.
 */
import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../../scripts/fixture/rng.ts';
import { rescore, MAX_EXTRA_CANDIDATES } from '../../src/search/rescore.ts';
import { meanOfRows, VectorIndex } from '../../src/search/vector-index.ts';

const D = 64;

function row(m: Float32Array, r: number, d: number = D): Float32Array {
  return m.subarray(r * d, (r + 1) * d);
}

/** Exact top-k ids by float64 dot product, ties to the lower row. */
function exactTop(
  vectors: Float32Array,
  ids: readonly string[],
  query: Float32Array,
  k: number,
  d: number = D,
): string[] {
  return ids
    .map((id, r) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += (query[i] ?? 0) * (vectors[r * d + i] ?? 0);
      return { id, r, s };
    })
    .sort((a, b) => b.s - a.s || a.r - b.r)
    .slice(0, k)
    .map((e) => e.id);
}

/** Unit vectors sharing one large direction, as embeddings do (the fixture's even more so): offset + noise, normalised. */
function offsetUnitVectors(count: number, seed: number): Float32Array {
  const out = fillNormal(new Float32Array(count * D), mulberry32(seed), 0.1);
  for (let r = 0; r < count; r++) {
    const v = row(out, r);
    v[0] = (v[0] ?? 0) + 1;
    const norm = Math.hypot(...v);
    for (let i = 0; i < D; i++) v[i] = (v[i] ?? 0) / norm;
  }
  return out;
}

function storeOf(ids: readonly string[], vectors: Float32Array, d: number = D): Map<string, Float32Array> {
  return new Map(ids.map((id, r) => [id, vectors.slice(r * d, (r + 1) * d)]));
}

/** What the search service does for an index that keeps int8: candidates, their rows read by id, rescored. */
function searchInt8(
  index: VectorIndex,
  store: Map<string, Float32Array>,
  query: Float32Array,
  k: number,
): { hits: { chunkId: string; score: number }[]; candidates: string[] } {
  const candidates = index.candidates(query, k);
  return {
    hits: rescore(
      query,
      candidates,
      candidates.map((id) => store.get(id)),
      k,
    ),
    candidates,
  };
}

describe('an index that keeps int8', () => {
  const N = 2000;
  const vectors = offsetUnitVectors(N, 21);
  const ids = Array.from({ length: N }, (_, i) => `s#${i}`);
  const queries = offsetUnitVectors(30, 22);

  it('holds codes, not rows: n × (dims + 4) bytes plus its centre, and refuses what needs the rows with NOT_LOADED', () => {
    const index = new VectorIndex(D, 'int8');
    index.add(ids, vectors, D);
    expect(index.keeps).toBe('int8');
    expect(index.bytes).toBe(N * (D + 4) + D * 4);
    const float = new VectorIndex(D);
    float.add(ids, vectors, D);
    expect(float.bytes).toBe(N * D * 4); // no codes until an int8 search asks for them
    float.search(row(queries, 0), 10, 'int8');
    expect(float.bytes).toBe(N * D * 4 + N * (D + 4) + D * 4);
    const notLoaded = expect.objectContaining({
      code: 'NOT_LOADED',
      message: expect.stringMatching(/keeps int8 codes only .* in IndexedDB/),
    });
    expect(() => index.vectorAt(0)).toThrow(notLoaded);
    expect(() => index.search(row(queries, 0), 10, 'float32')).toThrow(notLoaded);
    expect(() => index.search(row(queries, 0), 10, 'int8')).toThrow(notLoaded);
  });

  it("gives the exact top-10 of every query, with the float32 index's scores, from few candidates", () => {
    const index = new VectorIndex(D, 'int8');
    index.centreOn(
      meanOfRows(
        vectors,
        D,
        ids.map((_, r) => r),
      ),
    );
    index.add(ids, vectors, D);
    const float = new VectorIndex(D);
    float.add(ids, vectors, D);
    const store = storeOf(ids, vectors);
    let most = 0;
    for (let q = 0; q < 30; q++) {
      const query = row(queries, q);
      const { hits, candidates } = searchInt8(index, store, query, 10);
      expect(hits.map((h) => h.chunkId)).toEqual(exactTop(vectors, ids, query, 10));
      expect(hits).toEqual(float.search(query, 10, 'float32'));
      most = Math.max(most, candidates.length);
    }
    // Measured: at most 50 of the 2,000 rows were candidates for one query; all 2,000 would mean no filtering.
    console.log(`most int8 candidates for one query: ${most} of ${N}`);
    expect(most).toBeLessThanOrEqual(100);
  });

  it('rescores every row of a crowd closer than int8 can tell apart, where int8 alone picks the wrong ones', () => {
    // 300 rows within ~1e-4 of one vector (int8's step here is ~3e-3), among 1,700 others.
    const rand = mulberry32(23);
    const centre = row(offsetUnitVectors(1, 24), 0);
    const crowd = new Float32Array(300 * D);
    for (let r = 0; r < 300; r++)
      for (let i = 0; i < D; i++) crowd[r * D + i] = (centre[i] ?? 0) + (rand() - 0.5) * 2e-4;
    const all = new Float32Array(2000 * D);
    all.set(crowd);
    all.set(offsetUnitVectors(1700, 25), 300 * D);
    const allIds = Array.from({ length: 2000 }, (_, i) => (i < 300 ? `crowd#${i}` : `other#${i}`));
    const index = new VectorIndex(D, 'int8');
    index.add(allIds, all, D);
    const { hits, candidates } = searchInt8(index, storeOf(allIds, all), centre, 10);
    expect(candidates.filter((id) => id.startsWith('crowd#'))).toHaveLength(300);
    expect(hits.map((h) => h.chunkId)).toEqual(exactTop(all, allIds, centre, 10));
    // The same from an index that keeps the rows.
    const float = new VectorIndex(D);
    float.add(allIds, all, D);
    expect(float.search(centre, 10, 'int8')).toEqual(hits);
  });

  it('stops at k + 1,000 candidates, however many rows int8 cannot tell apart', () => {
    const same = new Float32Array(1500 * D);
    const v = row(offsetUnitVectors(1, 26), 0);
    for (let r = 0; r < 1500; r++) same.set(v, r * D);
    const index = new VectorIndex(D, 'int8');
    index.add(
      Array.from({ length: 1500 }, (_, i) => `dup#${i}`),
      same,
      D,
    );
    expect(index.candidates(v, 10)).toHaveLength(10 + MAX_EXTRA_CANDIDATES);
  });

  it("quantises rows added later around the first batch's centre, and keeps codes and ids in step through removals", () => {
    const index = new VectorIndex(D, 'int8');
    const float = new VectorIndex(D);
    for (let from = 0; from < N; from += 32) {
      const batchIds = ids.slice(from, from + 32);
      const batch = vectors.subarray(from * D, (from + batchIds.length) * D);
      index.add(batchIds, batch, D);
      float.add(batchIds, batch, D);
    }
    const gone = ids.filter((_, i) => i % 7 === 3);
    expect(index.remove(gone)).toBe(gone.length);
    float.remove(gone);
    expect([index.size, index.idAt(3), index.rowOf('s#4')]).toEqual([float.size, float.idAt(3), float.rowOf('s#4')]);
    const store = storeOf(ids, vectors);
    for (let q = 0; q < 30; q++) {
      const query = row(queries, q);
      expect(searchInt8(index, store, query, 10).hits).toEqual(float.search(query, 10, 'float32'));
    }
  });

  it('gives each row back from its code within half a step of every value (what the map projects)', () => {
    const index = new VectorIndex(D, 'int8');
    const mean = meanOfRows(vectors, D, [0, 1, 2, 3]);
    index.centreOn(mean);
    index.add(ids, vectors, D);
    const out = new Float32Array(D);
    for (const r of [0, 17, 1999]) {
      const v = row(vectors, r);
      const step = Math.max(...Array.from(v, (value, i) => Math.abs(value - (mean[i] ?? 0)))) / 127;
      index
        .approximateVectorAt(r, out)
        .forEach((value, i) => expect(Math.abs(value - (v[i] ?? 0))).toBeLessThanOrEqual(step / 2 + 1e-7));
    }
  });

  it('takes a centre only while empty, and only when it keeps int8', () => {
    const index = new VectorIndex(D, 'int8');
    expect(() => index.centreOn(new Float32Array(D - 1))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    index.add(['a'], row(vectors, 0).slice(), D);
    expect(() => index.centreOn(new Float32Array(D))).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/empty index that keeps int8/),
      }),
    );
    expect(() => new VectorIndex(D).centreOn(new Float32Array(D))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('rescore', () => {
  it('keeps the k best by exact dot product, skips a candidate with no vector, and breaks ties by candidate order', () => {
    const q = new Float32Array([1, 0]);
    const hits = rescore(
      q,
      ['a', 'gone', 'b', 'c'],
      [new Float32Array([0.5, 0.5]), undefined, new Float32Array([0.9, 0]), new Float32Array([0.5, -0.5])],
      2,
    );
    expect(hits).toEqual([
      { chunkId: 'b', score: expect.closeTo(0.9, 7) },
      { chunkId: 'a', score: 0.5 },
    ]);
  });
});
