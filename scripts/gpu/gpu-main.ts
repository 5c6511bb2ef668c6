/**
 * The one Node entry that travels to the GPU machine (bundled by vite.gpu.config.ts, so no
 * node_modules travel):
 *
 *     node gpu-main.mjs fixture --out DIR [--preset qwen3-0.6b]  # random weights, q4 only
 *     node gpu-main.mjs bench --model DIR --wasm FILE --dawn DIR --json FILE
 *
 * `bench` tries WebGPU (dawn.node) first; when there is no adapter, or WebGPU fails or falls
 * back, it measures WASM too, on a smaller shape, so the JSON always holds a figure and a reason.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isPresetName } from '../fixture/config.ts';
import { generateFixture } from '../fixture/generate.ts';
import { installDawn, adapterInfo, type DawnGpu } from './dawn-gpu.ts';
import { configureOrt, describeError, readWasm, runDevice, type DeviceRun } from './gpu-bench.ts';

const log = (line: string): void => console.log(`${(performance.now() / 1000).toFixed(1).padStart(6)} s  ${line}`);

async function fixture(out: string, preset: string): Promise<void> {
  if (!isPresetName(preset)) throw new Error(`unknown preset ${preset}`);
  const result = await generateFixture({ preset, variants: ['q4'], outDir: out, log });
  log(`fixture: ${result.modelDir} (${result.skipped ? 'already there' : `${result.files.length} files`})`);
}

async function bench(values: {
  model: string;
  wasm: string;
  dawn: string;
  json: string;
  texts: number;
  'wasm-texts': number;
}): Promise<void> {
  const result: Record<string, unknown> = { node: process.version, started: new Date().toISOString() };
  let dawn: DawnGpu | undefined;
  try {
    dawn = await installDawn(values.dawn, log);
    result['dawn'] = { note: dawn.note, ...(dawn.adapter ? { adapter: adapterInfo(dawn.adapter) } : {}) };
  } catch (error) {
    result['dawn'] = { error: describeError(error) };
    log(`dawn.node failed to load: ${describeError(error)}`);
  }
  configureOrt(readWasm(values.wasm), dawn, log);
  const runs: DeviceRun[] = [];
  if (dawn?.adapter) {
    // 64 × 512 tokens: the PyTorch reference's shape (ENVIRONMENT.md), 8 batches at the 8192-token cap.
    runs.push(
      await runDevice(
        values.model,
        { device: 'webgpu', texts: values.texts, maxTokens: 512, budgetMs: 40_000, maxCalls: 5, loadTimeoutMs: 75_000 },
        dawn,
        log,
      ),
    );
  } else {
    runs.push({ device: 'webgpu', ok: false, error: 'dawn.node found no WebGPU adapter' });
  }
  const gpu = runs[0];
  if (!gpu?.ok || gpu.info?.device !== 'webgpu') {
    // One thread of asyncify WASM on a 0.6B model ran 8 × 128 tokens in 65 s on the 2-core machine:
    // a small shape, so the run stays within its minutes.
    runs.push(
      await runDevice(
        values.model,
        {
          device: 'wasm',
          texts: values['wasm-texts'],
          maxTokens: 64,
          budgetMs: 45_000,
          maxCalls: 2,
          loadTimeoutMs: 75_000,
        },
        undefined,
        log,
      ),
    );
  }
  result['runs'] = runs;
  result['headline'] = headline(runs);
  writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${values.json}: ${JSON.stringify(result['headline'])}`);
  // Once onnxruntime-web's asyncify wasm has run, Node takes 60-100 s to exit (measured on the
  // 2-core machine, with and without --no-wasm-tier-up, with and without dawn.node): V8's
  // teardown waits on it. The results are on disk, so the process ends itself at once;
  // run.sh reads exit 137 with the JSON present as success.
  log('results written; ending the process with SIGKILL (see gpu-main.ts)');
  process.stdout.write('', () => process.kill(process.pid, 'SIGKILL'));
  await new Promise(() => undefined);
}

/** The figure to put beside PyTorch's: WebGPU's when it ran on WebGPU, else WASM's, with why. */
function headline(runs: DeviceRun[]): Record<string, unknown> {
  const best = runs.find((r) => r.ok && r.info?.device === 'webgpu') ?? runs.find((r) => r.ok);
  const gpu = runs[0];
  return {
    device: best?.info?.device ?? null,
    tokens_per_s: best?.tokensPerSecond === undefined ? null : Math.round(best.tokensPerSecond),
    shape: best?.shape ?? null,
    webgpu_ok: gpu?.ok === true && gpu.info?.device === 'webgpu',
    webgpu_problem: gpu?.ok === true ? (gpu.info?.fallback ?? null) : (gpu?.error?.split('\n')[0] ?? null),
  };
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      preset: { type: 'string', default: 'qwen3-0.6b' },
      model: { type: 'string' },
      wasm: { type: 'string' },
      dawn: { type: 'string' },
      json: { type: 'string' },
      texts: { type: 'string', default: '64' },
      'wasm-texts': { type: 'string', default: '4' },
    },
  });
  if (command === 'fixture' && values.out) return fixture(values.out, values.preset);
  if (command === 'bench' && values.model && values.wasm && values.dawn && values.json) {
    return bench({
      model: values.model,
      wasm: values.wasm,
      dawn: values.dawn,
      json: values.json,
      texts: Number(values.texts),
      'wasm-texts': Number(values['wasm-texts']),
    });
  }
  throw new Error(
    'usage: gpu-main.mjs fixture --out DIR [--preset P] | bench --model DIR --wasm FILE --dawn DIR --json FILE [--texts 64] [--wasm-texts 4]',
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(describeError(error));
    process.exit(1);
  },
);
