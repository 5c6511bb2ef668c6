/**
 * Test-only module worker: loads onnxruntime-web the way the product worker does in Chromium
 * (the JSPI build, `onnxruntime-web/jspi`, runtime files from our own origin under /ort/; see
 * src/engine/ort-web-build.ts) and runs one forward pass of a Qwen3-shaped graph with empty
 * past_key_values.
 */
import * as ort from 'onnxruntime-web/jspi';
import type { ProbeResult, RunRequest, RunResult, SmokeRequest, SmokeResponse } from './smoke-protocol.ts';

// The one setting the product worker must copy (see vite.config.ts): ort's .mjs/.wasm are served
// unchanged from <origin>/ort/, never from next to the bundled chunk and never from a CDN.
ort.env.wasm.wasmPaths = new URL('/ort/', self.location.origin).href;

interface Qwen3Config {
  readonly hidden_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly num_key_value_heads: number;
  readonly head_dim?: number;
  readonly vocab_size: number;
}

const EOS_ID = 151643;
const sessions = new Map<string, Promise<ort.InferenceSession>>();

async function fetchOk(url: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok)
    throw new Error(`GET ${url} -> HTTP ${res.status}; run \`npm run fixture\` to generate the model fixture`);
  return res;
}

async function externalData(modelUrl: string, modelFile: string): Promise<{ path: string; data: string }[]> {
  const name = `${modelFile.split('/').pop() ?? modelFile}_data`;
  const url = new URL(`${modelFile}_data`, modelUrl).href;
  const head = await fetch(url, { method: 'HEAD' });
  return head.ok ? [{ path: name, data: url }] : [];
}

/** Deterministic ids inside the fixture's vocabulary, ending with <|endoftext|> when it exists. */
function tokenIds(n: number, vocab: number): BigInt64Array {
  const ids = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ids[i] = BigInt((i * 7919 + 13) % Math.min(vocab, 150000));
  if (vocab > EOS_ID) ids[n - 1] = BigInt(EOS_ID);
  return ids;
}

async function run(req: RunRequest): Promise<RunResult> {
  const modelUrl = new URL(req.modelUrl, self.location.origin).href;
  const config = (await (await fetchOk(new URL('config.json', modelUrl).href)).json()) as Qwen3Config;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;

  ort.env.wasm.numThreads = req.numThreads; // only the first session creation in a worker honours it
  const key = `${req.backend}:${req.modelUrl}${req.modelFile}`;
  const t0 = performance.now();
  let sessionPromise = sessions.get(key);
  if (!sessionPromise) {
    const modelFileUrl = new URL(req.modelFile, modelUrl).href;
    sessionPromise = externalData(modelUrl, req.modelFile).then((data) =>
      ort.InferenceSession.create(modelFileUrl, {
        executionProviders: [req.backend],
        ...(data.length > 0 ? { externalData: data } : {}),
      }),
    );
    sessions.set(key, sessionPromise);
  }
  const session = await sessionPromise;
  const createMs = performance.now() - t0;

  const n = req.tokens;
  const ones = new BigInt64Array(n).fill(1n);
  const positions = BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', tokenIds(n, config.vocab_size), [1, n]),
    attention_mask: new ort.Tensor('int64', ones, [1, n]),
    position_ids: new ort.Tensor('int64', positions, [1, n]),
  };
  for (const name of session.inputNames) {
    if (name.startsWith('past_key_values.')) {
      feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, config.num_key_value_heads, 0, headDim]);
    }
  }
  const usedFeeds = Object.fromEntries(session.inputNames.map((name) => [name, feeds[name]]));
  const missing = session.inputNames.filter((name) => !feeds[name]);
  if (missing.length > 0)
    throw new Error(`the graph wants inputs this smoke test does not know: ${missing.join(', ')}`);

  const t1 = performance.now();
  const out = await session.run(usedFeeds as Record<string, ort.Tensor>, ['last_hidden_state']);
  const runMs = performance.now() - t1;
  const hidden = out.last_hidden_state;
  if (!hidden) throw new Error(`no last_hidden_state among outputs ${session.outputNames.join(', ')}`);
  const data = (await hidden.getData()) as Float32Array;
  const h = Number(hidden.dims[2]);
  const last = data.slice((n - 1) * h, n * h);
  hidden.dispose();

  return {
    backend: req.backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    dims: hidden.dims,
    last,
    allFinite: data.every(Number.isFinite),
    hiddenSize: config.hidden_size,
    numThreads: ort.env.wasm.numThreads ?? 0,
    wasmPaths:
      typeof ort.env.wasm.wasmPaths === 'string' ? ort.env.wasm.wasmPaths : JSON.stringify(ort.env.wasm.wasmPaths),
    createMs,
    runMs,
    ortFetches: performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => name.includes('/ort/')),
  };
}

function probe(): ProbeResult {
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}

self.addEventListener('message', (event: MessageEvent<SmokeRequest>) => {
  const req = event.data;
  const reply = (msg: SmokeResponse, transfer: Transferable[] = []): void => self.postMessage(msg, { transfer });
  switch (req.kind) {
    case 'probe':
      reply({ id: req.id, ok: true, probe: probe() });
      return;
    case 'run':
      run(req).then(
        (result) => reply({ id: req.id, ok: true, run: result }, [result.last.buffer]),
        (error: unknown) =>
          reply({
            id: req.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
      return;
    default: {
      const never: never = req;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
});
