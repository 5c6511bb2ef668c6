/**
 * The 4B check (issue 17, item 3), a command run by hand, never in CI: Debian's Chromium loads a
 * Qwen3-Embedding-4B-shaped fixture through the built library (dist/lib) from a localhost server
 * with `device: 'webgpu'` (SwiftShader on a machine without a GPU), embeds two queries (with the
 * instruction) and two documents, each call one left-padded batch, and compares every vector
 * with the streaming float64 reference (tests/reference/weight-source.ts) on the same
 * dequantised weights, its own prompt and its own tokenizer. Reports the cosines, the load's peak
 * memory (PSS of Chromium's process tree, sampled), the load time, the time to the first vector
 * and per text, the adapter, and writes them into bench/qwen3-4b.md under the run's key.
 * Exits non-zero when a cosine is under 0.999 or the token counts differ.
 *
 *   npm run check:4b -- --preset qwen3-4b --dtype q4 [--device webgpu] [--half-probe]
 *   npm run check:4b -- --model /path/to/model-folder --dtype q4
 *
 * `--half-probe` also asks onnxruntime-web itself (no tabembed) to run the fp16 / q4f16 graph on
 * WebGPU and on WASM (tabembed refuses half precision on an adapter without shader-f16).
 * It stops the browser when the machine's available memory falls under --min-available-gb (3).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { DTYPE_SUFFIX } from '../src/model/dtype-files.ts';
import { DTYPES, isOneOf } from '../src/core/choices.ts';
import type { Dtype } from '../src/core/types.ts';
import { startStaticSite } from '../e2e/support/static-site.ts';
import { PRESETS, isPresetName, presetHome } from '../scripts/fixture/config.ts';
import { cosine } from '../tests/reference/qwen3-forward.ts';
import { referenceIds, referencePrompt, streamingReferenceEmbeddings } from '../tests/reference/reference-embedding.ts';
import { readReferenceConfig } from '../tests/reference/reference-config.ts';
import { argValue, flag, ROOT } from './bench-args.ts';
import { findBrowserPid, Sampler } from './process-memory.ts';
import { loadAverage } from './results-file.ts';
import { availableBytes, writeRun, type CheckRun, type TextResult } from './qwen3-4b-md.ts';

/** The bar of issue 17: q4/q4f16 against the reference on the same dequantised weights. */
const MIN_COSINE = 0.999;
const INSTRUCTION = 'Find the answer';
/** onnxruntime's log lines carry terminal colour codes. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`, 'g');
const QUERIES = ['capital of France', 'why is the sky blue?'];
const DOCUMENTS = ['Paris is the capital of France.', 'Hi'];

function modelDir(): string {
  const given = argValue('--model');
  if (given) return resolve(given);
  const preset = argValue('--preset') ?? 'qwen3-4b';
  if (!isPresetName(preset))
    throw new Error(`unknown --preset ${preset}; choose one of: ${Object.keys(PRESETS).join(', ')}`);
  return resolve(ROOT, presetHome(preset), PRESETS[preset].dir);
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launchPersistentContext>>['newPage']>>;

/** The page's API (bench/qwen3-4b.html), as the Node side sees it. */
interface CheckPage {
  adapter(): Promise<CheckRun['adapter']>;
  load(url: string, dtype: string, device: string): Promise<CheckRun['load']>;
  embed(texts: string[], instruction?: string): Promise<{ ms: number; vectors: number[][]; tokens: number[] }>;
  ortRun(
    base: string,
    file: string,
    externalData: string[],
    kvHeads: number,
    headDim: number,
    ep: string,
  ): Promise<{ created: boolean; ran: boolean; message: string; last?: number[] }>;
}
declare global {
  interface Window {
    check4b: CheckPage;
  }
}

type BrowserPart = Pick<
  CheckRun,
  'adapter' | 'load' | 'pssBefore' | 'loadPeakPss' | 'loadPeakRss' | 'calls' | 'halfProbe' | 'notes'
> & {
  vectors: number[][];
  tokens: number[];
  /** What stops the run counting as a pass: a page error, a crash, the memory guard, a failed load. */
  failures: string[];
};

async function browserPart(dir: string, dtype: Dtype, device: string, minAvailable: number): Promise<BrowserPart> {
  const site = await startStaticSite({
    mounts: {
      '/check.html': 'bench/qwen3-4b.html',
      '/lib/': 'dist/lib',
      '/ort/': 'node_modules/onnxruntime-web/dist',
      '/models/m/': dir,
    },
  });
  const profile = mkdtempSync(join(tmpdir(), 'tabembed-check4b-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  // RSS every 250 ms, each process's PSS at most once a second (process-memory.ts says why).
  const sampler = new Sampler(findBrowserPid(profile), 250, 1000);
  sampler.start();
  let lowMemory: string | undefined;
  const guard = setInterval(() => {
    const available = availableBytes();
    if (available >= minAvailable || lowMemory) return;
    lowMemory = `stopped: the machine had ${(available / 2 ** 30).toFixed(1)} GiB available (< ${minAvailable / 2 ** 30} GiB)`;
    console.error(lowMemory);
    void context.close();
  }, 500);
  const failures: string[] = [];
  const consoleErrors: string[] = [];
  try {
    const page: Page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(0);
    page.on('console', (m) => {
      if (m.text().startsWith('[check4b]')) console.log(m.text());
      // onnxruntime's own warnings arrive as console errors: worth reading, not a failure.
      else if (m.type() === 'error') consoleErrors.push(m.text().replace(ANSI_COLOUR, '').slice(0, 300));
    });
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('crash', () => failures.push('the renderer crashed'));
    await page.goto(`${site.origin}/check.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const adapter = await page.evaluate(() => window.check4b.adapter());
    console.log(`adapter: ${JSON.stringify(adapter)}`);
    const pssBefore = sampler.sample().pss;
    const t0 = performance.now();
    const load = await page.evaluate(([d, dev]) => window.check4b.load('/models/m/', d, dev), [dtype, device] as const);
    sampler.sample();
    const during = sampler.between(t0, performance.now());
    const loadPeakPss = Math.max(...during.map((s) => s.pss));
    const loadPeakRss = Math.max(...during.map((s) => s.rss));
    console.log(
      `load: ${load.ok ? 'ok' : `failed (${load.code}: ${load.message})`} in ${(load.ms / 1000).toFixed(1)} s`,
    );
    let queries = { ms: NaN, vectors: [] as number[][], tokens: [] as number[] };
    let documents = queries;
    if (!load.ok) failures.push(`the load failed: ${load.code ?? ''} ${load.message}`);
    else {
      // A forced device can still end on WASM (a failed numerics probe, GPU recovery): then these
      // vectors say nothing about WebGPU, and the run is no pass.
      if (load.info.device !== device)
        failures.push(
          `asked for ${device}, the engine runs on ${load.info.device}: ${load.info.fallback ?? load.info.deviceReason}`,
        );
      queries = await page.evaluate(([t, i]) => window.check4b.embed(t, i), [QUERIES, INSTRUCTION] as const);
      console.log(`queries: ${(queries.ms / 1000).toFixed(1)} s`);
      documents = await page.evaluate((t) => window.check4b.embed(t), DOCUMENTS);
      console.log(`documents: ${(documents.ms / 1000).toFixed(1)} s`);
    }
    const halfProbe = flag('--half-probe') ? await probeHalf(page, dir, dtype) : undefined;
    return {
      adapter,
      load,
      pssBefore,
      loadPeakPss,
      loadPeakRss,
      calls: [
        { label: `${QUERIES.length} queries`, ms: queries.ms, texts: QUERIES.length },
        { label: `${DOCUMENTS.length} documents`, ms: documents.ms, texts: DOCUMENTS.length },
      ],
      vectors: [...queries.vectors, ...documents.vectors],
      tokens: [...queries.tokens, ...documents.tokens],
      halfProbe,
      failures: lowMemory ? [lowMemory, ...failures] : failures,
      notes: [
        ...site
          .requests()
          .filter((r) => r.status !== 200)
          .map((r) => `${r.method} ${r.path}: ${r.status}`),
        ...consoleErrors,
      ],
    };
  } finally {
    clearInterval(guard);
    sampler.stop();
    await context.close().catch(() => undefined);
    await site.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** onnxruntime-web's own WebGPU and WASM runs of the graph: whether each runs, and their cosine. */
async function probeHalf(page: Page, dir: string, dtype: Dtype): Promise<CheckRun['halfProbe']> {
  const file = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  const external = readdirSync(join(dir, 'onnx')).filter((f) => f.startsWith(`${file}_data`));
  const config = readReferenceConfig(dir);
  const run = (ep: string): ReturnType<CheckPage['ortRun']> =>
    page.evaluate(([f, e, kv, hd, p]) => window.check4b.ortRun('/models/m/', f, e, kv, hd, p), [
      file,
      external,
      config.numKvHeads,
      config.headDim,
      ep,
    ] as const);
  const webgpu = await run('webgpu');
  console.log(`onnxruntime-web webgpu on ${file}: ${webgpu.message}`);
  const wasm = await run('wasm');
  console.log(`onnxruntime-web wasm on ${file}: ${wasm.message}`);
  const cos = webgpu.last && wasm.last ? cosine(webgpu.last, wasm.last) : undefined;
  return { file, webgpu: webgpu.message, wasm: wasm.message, cosine: cos };
}

function modelBytes(dir: string, dtype: Dtype): number {
  const file = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  return readdirSync(join(dir, 'onnx'))
    .filter((f) => f === file || f.startsWith(`${file}_data`))
    .reduce((sum, f) => sum + statSync(join(dir, 'onnx', f)).size, 0);
}

async function main(): Promise<void> {
  const dir = modelDir();
  const dtypeArg = argValue('--dtype') ?? 'q4';
  if (!isOneOf(DTYPES, dtypeArg)) throw new Error(`--dtype ${dtypeArg} is not a dtype tabembed knows`);
  const dtype = dtypeArg;
  const device = argValue('--device') ?? 'webgpu';
  const minAvailable = Number(argValue('--min-available-gb') ?? '3') * 2 ** 30;
  const config = readReferenceConfig(dir);
  console.log(`model ${dir}: ${config.numLayers} layers, hidden ${config.hiddenSize}; ${dtype} on ${device}`);
  const started = new Date();
  const loadBefore = loadAverage();
  const browser = await browserPart(dir, dtype, device, minAvailable);

  // The reference after the browser is closed, so the two never hold memory at once; none when
  // there is nothing to compare it with (a 4B reference takes minutes).
  const prompts = [...QUERIES.map((q) => referencePrompt(q, { instruction: INSTRUCTION })), ...DOCUMENTS];
  const r0 = performance.now();
  const reference = browser.load.ok
    ? streamingReferenceEmbeddings(dir, `model${DTYPE_SUFFIX[dtype]}.onnx`, prompts, {
        activations: dtype === 'q8' ? 'per-row-int8' : 'exact',
        onLayer: (done, of) =>
          console.log(`reference: layer ${done}/${of} at ${((performance.now() - r0) / 1000).toFixed(0)} s`),
      })
    : undefined;
  const referenceMs = performance.now() - r0;

  const problems = [...browser.failures];
  const texts: TextResult[] = prompts.map((prompt, i) => {
    const referenceTokens = referenceIds(prompt).length;
    const vector = browser.vectors[i];
    const cos = vector && reference ? cosine(vector, reference[i] ?? []) : NaN;
    const tokens = browser.tokens[i];
    if (tokens !== undefined && tokens !== referenceTokens)
      problems.push(`text ${i}: tabembed fed ${tokens} tokens, the reference ${referenceTokens}`);
    if (browser.load.ok && !(cos >= MIN_COSINE)) problems.push(`text ${i}: cos ${cos} < ${MIN_COSINE}`);
    return {
      kind: i < QUERIES.length ? 'query' : 'document',
      text: i < QUERIES.length ? (QUERIES[i] ?? '') : (DOCUMENTS[i - QUERIES.length] ?? ''),
      tokens: referenceTokens,
      cos,
    };
  });
  const { vectors: _v, tokens: _t, failures: _f, ...measured } = browser;
  const run: CheckRun = {
    ...measured,
    key: `${dir.split('/').at(-1) ?? dir} ${dtype} ${device}`,
    started,
    loadBefore,
    dir,
    dtype,
    device,
    layers: config.numLayers,
    hiddenSize: config.hiddenSize,
    modelBytes: modelBytes(dir, dtype),
    instruction: INSTRUCTION,
    texts,
    reference: reference ? { ms: referenceMs, maxRss: process.resourceUsage().maxRSS * 1024 } : undefined,
    problems,
  };
  const md = writeRun(join(ROOT, 'bench/qwen3-4b.md'), run);
  console.log(md);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}

await main();
