/**
 * tabembed's engine over onnxruntime-web in Node: WebGPU through dawn.node when it finds an
 * adapter, else (or when WebGPU fails) WASM, so the run always reports something. Every step is
 * logged with its time, and a failure with its whole cause chain: WebGPU under dawn.node once
 * failed with a bare "Invalid argument" (ENVIRONMENT.md), and the next run must teach us where.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web/webgpu';
import type { AdapterSummary, DeviceName, EmbedderInfo, EmbedderMetrics } from '../../src/core/types.ts';
import { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { loadOrtWebRuntime } from '../../src/engine/ort-web.ts';
import { probeWebGpuAdapter } from '../../src/core/webgpu-adapter.ts';
import { withTimeout } from '../../src/core/with-timeout.ts';
import { modelFiles } from '../../src/model/model-files.ts';
import { fsSource } from '../../src/node/fs-source.ts';
import type { DawnGpu } from './dawn-gpu.ts';
import { longTexts } from './gpu-corpus.ts';

export interface DeviceRun {
  device: DeviceName;
  ok: boolean;
  error?: string;
  info?: EmbedderInfo;
  /** Texts × tokens per call, and how many calls were timed (the first, cold one is not). */
  shape?: { texts: number; tokensPerText: number; calls: number; coldCallOnly?: boolean };
  tokensPerSecond?: number;
  textsPerSecond?: number;
  firstCallMs?: number;
  callMs?: number[];
  metrics?: EmbedderMetrics;
}

export interface BenchPlan {
  device: DeviceName;
  texts: number;
  maxTokens: number;
  /** Timed calls stop once this much wall time has gone (the cold first call included). */
  budgetMs: number;
  maxCalls: number;
  /** Loading (files, session, probe, warm-up) gives up after this. */
  loadTimeoutMs: number;
}

export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(
        `${e.name}${'code' in e ? ` [${String(e.code)}]` : ''}: ${e.message}${depth === 0 && e.stack ? `\n${e.stack.split('\n').slice(1, 8).join('\n')}` : ''}`,
      );
      e = e.cause;
    } else {
      parts.push(typeof e === 'string' ? e : JSON.stringify(e));
      break;
    }
  }
  return parts.join('\n  caused by ');
}

/** onnxruntime-web as Node needs it: the wasm as bytes, one thread (workers would rerun this bundle). */
export function configureOrt(wasmBinary: Uint8Array, dawn: DawnGpu | undefined, log: (line: string) => void): void {
  ort.env.wasm.wasmBinary = wasmBinary;
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = process.env['ORT_LOG_LEVEL'] === 'verbose' ? 'verbose' : 'warning';
  if (dawn?.adapter) {
    ort.env.webgpu.adapter = dawn.adapter;
    ort.env.webgpu.powerPreference = 'high-performance';
  }
  log(
    `onnxruntime-web ${ort.env.versions.web ?? '?'}: wasm ${wasmBinary.byteLength} bytes, 1 thread, webgpu adapter ${dawn?.adapter ? 'set' : 'none'}`,
  );
}

export async function runDevice(
  modelDir: string,
  plan: BenchPlan,
  dawn: DawnGpu | undefined,
  log: (line: string) => void,
): Promise<DeviceRun> {
  const started = performance.now();
  let engine: EmbedEngine | undefined;
  try {
    const adapter: AdapterSummary | undefined =
      plan.device === 'webgpu' && dawn ? await probeWebGpuAdapter(dawn.gpu) : undefined;
    log(`[${plan.device}] loading ${modelDir} (q4, maxTokens ${plan.maxTokens})`);
    engine = await withTimeout(
      EmbedEngine.load(
        {
          files: modelFiles(fsSource(modelDir)),
          runtime: await loadOrtWebRuntime({ build: 'asyncify' }),
          device: plan.device,
          dtype: 'q4',
          adapter,
          onProgress: (e) =>
            e.phase === 'download' ? undefined : log(`[${plan.device}]   ${e.phase}${e.file ? ` ${e.file}` : ''}`),
        },
        { model: modelDir, revision: undefined, maxTokens: plan.maxTokens },
      ),
      plan.loadTimeoutMs,
      `loading on ${plan.device}`,
    );
    const info = engine.info();
    log(
      `[${plan.device}] loaded in ${(performance.now() - started).toFixed(0)} ms: device ${info.device}, token budget ${info.tokenBudget}, canary ${JSON.stringify(info.canary)}, fallback ${info.fallback ?? 'none'}, coldStart ${JSON.stringify(info.coldStart)}`,
    );
    const texts = longTexts(plan.texts, plan.maxTokens * 2);
    const callMs: number[] = [];
    let tokens = 0;
    let firstCallMs: number | undefined;
    let firstTokens = 0;
    const timed = performance.now();
    for (let call = 0; call <= plan.maxCalls && performance.now() - timed < plan.budgetMs; call++) {
      const t = performance.now();
      const out = await withTimeout(engine.embed(texts), Math.max(60_000, plan.budgetMs), `embed call ${call}`);
      const ms = performance.now() - t;
      if (call === 0) {
        firstCallMs = ms;
        firstTokens = out.tokens.reduce((a, b) => a + b, 0);
      } else {
        callMs.push(ms);
        tokens = out.tokens.reduce((a, b) => a + b, 0);
      }
      log(`[${plan.device}] call ${call}: ${texts.length} texts × ${out.tokens[0] ?? 0} tokens in ${ms.toFixed(0)} ms`);
    }
    const metrics = engine.metrics();
    // No warm call within the budget (WASM on the full-size model): the cold call's figure, marked so.
    const cold = callMs.length === 0 && firstCallMs !== undefined;
    if (cold) tokens = firstTokens;
    const meanMs = cold
      ? firstCallMs
      : callMs.length > 0
        ? callMs.reduce((a, b) => a + b, 0) / callMs.length
        : undefined;
    const run: DeviceRun = {
      device: engine.info().device,
      ok: true,
      info: engine.info(),
      shape: {
        texts: texts.length,
        tokensPerText: plan.maxTokens,
        calls: callMs.length,
        ...(cold ? { coldCallOnly: true } : {}),
      },
      ...(meanMs === undefined
        ? {}
        : { tokensPerSecond: (tokens / meanMs) * 1000, textsPerSecond: (texts.length / meanMs) * 1000 }),
      ...(firstCallMs === undefined ? {} : { firstCallMs }),
      callMs,
      metrics,
    };
    log(
      `[${plan.device}] ${run.tokensPerSecond === undefined ? 'no warm call finished' : `${run.tokensPerSecond.toFixed(0)} tokens/s, ${run.textsPerSecond?.toFixed(1)} texts/s${cold ? ' (cold call only)' : ''}`} (session-run view: ${metrics.tokensPerSecond.toFixed(0)} tokens/s, batches ${JSON.stringify(metrics.batchRows)})`,
    );
    return run;
  } catch (error) {
    const message = describeError(error);
    log(`[${plan.device}] FAILED after ${(performance.now() - started).toFixed(0)} ms: ${message}`);
    return { device: plan.device, ok: false, error: message, ...(engine ? { info: engine.info() } : {}) };
  } finally {
    await engine?.dispose().catch((error: unknown) => log(`[${plan.device}] dispose failed: ${describeError(error)}`));
  }
}

export function readWasm(path: string): Uint8Array {
  return readFileSync(path);
}
