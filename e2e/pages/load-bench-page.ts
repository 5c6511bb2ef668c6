/**
 * Bench-only page for bench/load-run.ts (issue: reliability, item "load"). Two loads a real
 * user can put on one tab, through the real code paths:
 *  - a large index: sources and chunks into the real search worker and its IndexedDB, embedded
 *    through a port to the real embedding worker (the search page's path), checked afterwards;
 *  - many concurrent queries through the OpenAI facade and through the `/v1/embeddings` route
 *    (the app's /sw.js), each answer compared with its own text's vector.
 * It measures and reports; bench/load-run.ts decides what a wrong answer means (it exits non-zero).
 */
import * as Comlink from 'comlink';
import { createEmbedder, openAIFacade, serveEmbeddingsRoute, type Embedder } from '../../src/client/index.ts';
import { installErrorWire } from '../../src/protocol/error-wire.ts';
import type { IndexStatus, SearchWorkerApi } from '../../src/protocol/search-api.ts';
import type { Chunk, SourceText } from '../../src/protocol/search-data.ts';
import { cosine } from '../../src/core/cosine.ts';
import { buildFingerprint } from '../../src/search/fingerprint.ts';
import { realmMemory } from './realm-memory.ts';

installErrorWire();

const MODEL = '/models/qwen3-tiny/';
const CHUNKS_PER_SOURCE = 100;
/** Sources handed to the search worker per addSources call. */
const SOURCES_PER_CALL = 20;
const WORDS = (
  'river stone lamp orbit garden copper winter signal harbor maple engine velvet canyon ' +
  'ledger prism falcon meadow quartz lantern summit tunnel cobalt willow beacon marble ' +
  'thunder amber glacier compass saddle ember violet anchor cedar harvest pepper'
).split(' ');

/** Chunk `n`'s text: its number and six words picked from it, so every text is distinct. */
export function chunkText(n: number): string {
  const words: string[] = [];
  let x = (n * 2654435761) >>> 0;
  for (let i = 0; i < 6; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    words.push(WORDS[x % WORDS.length] ?? '');
  }
  return `Record ${n}: ${words.join(' ')}.`;
}

const sourceId = (s: number): string => `load:${String(s).padStart(5, '0')}`;
const chunkId = (n: number): string => `${sourceId(Math.floor(n / CHUNKS_PER_SOURCE))}#${n % CHUNKS_PER_SOURCE}`;

let embedder: Embedder | undefined;
let api: Comlink.Remote<SearchWorkerApi> | undefined;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`call ${what} first`);
  return value;
}

/** Sources `from / 100 … to / 100`, each 100 chunks of one line each (`to - from` a multiple of 100). */
async function sourcesFor(from: number, to: number): Promise<{ source: SourceText; chunks: Chunk[] }[]> {
  const entries: { source: SourceText; chunks: Chunk[] }[] = [];
  for (let s = from / CHUNKS_PER_SOURCE; s < to / CHUNKS_PER_SOURCE; s++) {
    const texts = Array.from({ length: CHUNKS_PER_SOURCE }, (_, i) => chunkText(s * CHUNKS_PER_SOURCE + i));
    const tokens = await need(embedder, 'load()').countTokens(texts);
    let at = 0;
    const chunks = texts.map((text, i) => {
      const chunk: Chunk = {
        id: chunkId(s * CHUNKS_PER_SOURCE + i),
        sourceId: sourceId(s),
        ordinal: i,
        text,
        start: at,
        end: at + text.length,
        tokens: tokens[i] ?? 0,
      };
      at += text.length + 1;
      return chunk;
    });
    entries.push({ source: { id: sourceId(s), name: `Load ${s}`, text: texts.join('\n') }, chunks });
  }
  return entries;
}

/**
 * For each answer: the cosine to its own text's vector, and whether another text's vector is
 * closer (the answers of two requests crossed). `expected[i]` is answer i's text's vector.
 */
function checkAnswers(
  answers: (ArrayLike<number> | undefined)[],
  expected: Float32Array[],
): { worstCos: number; crossed: number } {
  let worstCos = 1;
  let crossed = 0;
  answers.forEach((answer, i) => {
    if (!answer) return;
    const own = cosine(answer, expected[i] ?? []);
    worstCos = Math.min(worstCos, own);
    if (expected.some((other, j) => j !== i && cosine(answer, other) >= own)) crossed++;
  });
  return { worstCos, crossed };
}

function spread(ms: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

const loadBench = {
  /** Loads the fixture on WASM (cached in OPFS after the first load). */
  async load(): Promise<{ model: string; dtype: string; hiddenSize: number }> {
    embedder = await createEmbedder({ model: { url: MODEL }, device: 'wasm' });
    const info = embedder.info();
    return { model: info.model, dtype: info.dtype, hiddenSize: info.hiddenSize };
  },

  /** Starts the search worker on database `db` and opens it for the loaded model's full-size vectors. */
  async openIndex(db: string): Promise<IndexStatus> {
    const worker = new Worker(new URL('../../workers/search.worker.ts', import.meta.url), {
      type: 'module',
      name: `db:${db}`,
    });
    api = Comlink.wrap<SearchWorkerApi>(worker);
    const info = need(embedder, 'load()').info();
    return api.open(buildFingerprint(info, info.hiddenSize, 'documents raw (load bench)'), 'float32');
  },

  /** Adds chunks `from … to` and embeds every pending chunk through a port to the embedding worker. */
  async index(
    from: number,
    to: number,
    slice: number,
  ): Promise<{ addMs: number; embedMs: number; status: IndexStatus }> {
    const search = need(api, 'openIndex()');
    let started = performance.now();
    for (let at = from; at < to; at += SOURCES_PER_CALL * CHUNKS_PER_SOURCE)
      await search.addSources(await sourcesFor(at, Math.min(to, at + SOURCES_PER_CALL * CHUNKS_PER_SOURCE)));
    const addMs = performance.now() - started;
    started = performance.now();
    const port = await need(embedder, 'load()').createPort();
    const status = await search.indexPending(Comlink.transfer(port, [port]), { slice });
    return { addMs, embedMs: performance.now() - started, status };
  },

  /**
   * For `count` chunks picked across `0 … total`: the chunk's text embedded on its own, searched
   * in the index (float32, top 1). A stored vector that is missing, duplicated under another id
   * or not its text's own shows as a top hit that is not the chunk, or a score under 1.
   */
  async verify(total: number, count: number): Promise<{ checked: number; wrongTop: string[]; worstScore: number }> {
    const search = need(api, 'openIndex()');
    const picked = Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * total) / count));
    const vectors = await need(embedder, 'load()').embedDocuments(picked.map(chunkText));
    const wrongTop: string[] = [];
    let worstScore = 1;
    for (const [i, n] of picked.entries()) {
      const { hits } = await search.search(need(vectors[i], 'a vector'), 1, 'float32');
      const top = hits[0];
      if (top?.chunkId !== chunkId(n)) wrongTop.push(`${chunkId(n)} → ${top?.chunkId ?? 'nothing'}`);
      worstScore = Math.min(worstScore, top?.score ?? 0);
    }
    return { checked: picked.length, wrongTop, worstScore };
  },

  /** What Chromium attributes to each realm (the page, each worker), after a GC; undefined without cross-origin isolation. */
  memory: realmMemory,

  /** Hosts the loaded model for the route and registers the app's /sw.js; resolves once it controls the page. */
  async hostRoute(): Promise<string> {
    const served = serveEmbeddingsRoute(need(embedder, 'load()')).model;
    await navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' });
    if (!navigator.serviceWorker.controller)
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
    return served;
  },

  /**
   * `count` distinct one-text query requests, all started at once, through the facade or through
   * `fetch('/v1/embeddings')`; each answer is compared with its own text's vector, embedded
   * beforehand in one call (batch-independent vectors: the same vector whatever the batch).
   */
  async concurrentQueries(
    count: number,
    via: 'facade' | 'route',
    model: string,
  ): Promise<{ ms: number; failed: string[]; worstCos: number; crossed: number; latency: ReturnType<typeof spread> }> {
    const texts = Array.from({ length: count }, (_, i) => `query ${i}: ${chunkText(i + 1_000_000)}`);
    const expected = await need(embedder, 'load()').embed(texts, { kind: 'query' });
    const facade = openAIFacade(need(embedder, 'load()'));
    const failed: string[] = [];
    const latencies: number[] = [];
    const started = performance.now();
    const answers = await Promise.all(
      texts.map(async (input, i): Promise<number[] | undefined> => {
        const sent = performance.now();
        try {
          const body = { model, input, input_type: 'query' as const };
          const response =
            via === 'facade'
              ? await facade.embeddings.create(body)
              : await fetch('/v1/embeddings', {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(body),
                }).then(async (r) => {
                  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
                  return (await r.json()) as { data: { embedding: number[] }[] };
                });
          const embedding = response.data[0]?.embedding;
          if (!Array.isArray(embedding)) throw new Error('no embedding in the answer');
          return embedding;
        } catch (error) {
          failed.push(`#${i}: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        } finally {
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const ms = performance.now() - started;
    return { ms, failed, ...checkAnswers(answers, expected), latency: spread(latencies) };
  },
};

declare global {
  interface Window {
    loadBench: typeof loadBench;
  }
}
window.loadBench = loadBench;
document.body.dataset.ready = 'true';
