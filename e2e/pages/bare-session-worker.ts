/**
 * Bench-only module worker: the query-latency baseline. A bare onnxruntime-web session on what
 * tabembed's own worker runs (the same build, chosen by the same rule, and the same prepared
 * graph: src/engine/graph/), timed around `session.run` alone on tensors built once. tabembed's
 * warm query ÷ this is the cost of everything around the kernels: the page → worker hop,
 * prompt, tokenizer, tensors, the session lock, pooling, normalisation, the transfer back.
 * Driven by e2e/pages/bench-page.ts over Comlink.
 */
import * as Comlink from 'comlink';
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { leftPad } from '../../src/core/left-pad.ts';
import { prepareGraph } from '../../src/engine/graph/prepare-graph.ts';
import { chooseOrtWebBuild, hasJspi } from '../../src/engine/ort-web-build.ts';
import { loadOrtWebRuntime } from '../../src/engine/ort-web.ts';
import type { OrtRuntime } from '../../src/engine/runtime.ts';

let bare:
  | {
      runtime: OrtRuntime;
      session: InferenceSession;
      kvHeads: number;
      headDim: number;
      pastType: 'float32' | 'float16';
    }
  | undefined;

const api = {
  async load(modelUrl: string, file: string, externalData: string[], numThreads: number): Promise<{ build: string }> {
    const build = chooseOrtWebBuild('wasm', undefined, hasJspi()).build;
    const runtime = await loadOrtWebRuntime({
      build,
      wasmPaths: new URL('/ort/', self.location.href).href,
      numThreads,
    });
    const base = new URL(modelUrl, self.location.href);
    const config = (await (await fetch(new URL('config.json', base))).json()) as Record<string, number>;
    const fetchBytes = async (path: string): Promise<Uint8Array> =>
      new Uint8Array(await (await fetch(new URL(path, base))).arrayBuffer());
    const data = await Promise.all(
      externalData.map(async (name) => ({ path: name, data: await fetchBytes(`onnx/${name}`) })),
    );
    const prepared = await prepareGraph(await fetchBytes(`onnx/${file}`), file, data);
    const session = await runtime.createSession(prepared.graph, prepared.externalData, 'wasm');
    const hidden = config['hidden_size'] ?? 0;
    const heads = config['num_attention_heads'] ?? 1;
    bare = {
      runtime,
      session,
      kvHeads: config['num_key_value_heads'] ?? heads,
      headDim: config['head_dim'] ?? hidden / heads,
      pastType: file.includes('fp16') ? 'float16' : 'float32',
    };
    return { build };
  },

  /** ms of each `session.run` on the one query's tensors (built once, as tabembed builds them). */
  async query(ids: number[], padId: number, runs: number): Promise<number[]> {
    const { session, feeds, output } = feedsOf(ids, padId);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const out = await session.run(feeds, [output]);
      times.push(performance.now() - t0);
      out[output]?.dispose();
    }
    return times;
  },

  /**
   * ms of `session.run` summed over the texts, one text per run (what tabembed's token budget
   * runs on a model of real width): the kernels' own time for a corpus, without tokenizer,
   * planning, pooling or any hop: the floor for any runtime that runs these kernels one text at a time.
   */
  async kernels(texts: number[][], padId: number): Promise<number> {
    let ms = 0;
    for (const ids of texts) {
      const { session, feeds, output } = feedsOf(ids, padId);
      const t0 = performance.now();
      const out = await session.run(feeds, [output]);
      ms += performance.now() - t0;
      out[output]?.dispose();
    }
    return ms;
  },

  async dispose(): Promise<void> {
    await bare?.session.release();
    bare = undefined;
  },
};

/** One text's feeds, left-padded as tabembed pads them, and the output to ask for. */
function feedsOf(
  ids: number[],
  padId: number,
): { session: InferenceSession; feeds: Record<string, Tensor>; output: string } {
  if (!bare) throw new Error('load() first');
  const { runtime, session, kvHeads, headDim, pastType } = bare;
  const batch = leftPad([ids], padId);
  const shape = [batch.rows, batch.length];
  const feeds: Record<string, Tensor> = {
    input_ids: new runtime.Tensor('int64', batch.inputIds, shape),
    attention_mask: new runtime.Tensor('int64', batch.attentionMask, shape),
  };
  if (session.inputNames.includes('position_ids'))
    feeds['position_ids'] = new runtime.Tensor('int64', batch.positionIds, shape);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values'))) {
    feeds[name] =
      pastType === 'float16'
        ? new runtime.Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim])
        : new runtime.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
  }
  const output = session.outputNames.includes('last_hidden_state')
    ? 'last_hidden_state'
    : (session.outputNames[0] ?? '');
  return { session, feeds, output };
}

export type BareSessionWorkerApi = typeof api;
Comlink.expose(api);
