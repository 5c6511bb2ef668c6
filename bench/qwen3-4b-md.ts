/**
 * bench/qwen3-4b.md: one section per run key (model folder, dtype, device), a new run of a key
 * replacing its section, so the 2-layer and the 36-layer runs, q4 and q4f16, stand side by side.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { EmbedderInfo } from '../src/core/types.ts';
import { chromiumVersion } from './chromium-runs.ts';
import { readText } from './process-memory.ts';
import { loadAverage } from './results-file.ts';

export interface TextResult {
  kind: 'query' | 'document';
  text: string;
  /** Tokens of the prompt plus the final <|endoftext|>, by the reference's tokenizer (checked equal to tabembed's). */
  tokens: number;
  cos: number;
}

export interface CheckRun {
  key: string;
  started: Date;
  /** The machine's load average (1 / 5 / 15 min) when the run started. */
  loadBefore: string;
  dir: string;
  dtype: string;
  device: string;
  layers: number;
  hiddenSize: number;
  modelBytes: number;
  instruction: string;
  adapter:
    | {
        vendor: string;
        architecture: string;
        device: string;
        description: string;
        features: string[];
        maxBufferSize: number;
        maxStorageBufferBindingSize: number;
      }
    | undefined;
  load:
    | { ok: true; ms: number; phases: { phase: string; ms: number }[]; info: EmbedderInfo }
    | { ok: false; ms: number; phases: { phase: string; ms: number }[]; code?: string; message: string };
  /** PSS of the process tree with the page open, just before createEmbedder. */
  pssBefore: number;
  loadPeakPss: number;
  loadPeakRss: number;
  calls: { label: string; ms: number; texts: number }[];
  texts: TextResult[];
  halfProbe: { file: string; webgpu: string; wasm: string; cosine: number | undefined } | undefined;
  /** Undefined when the load failed (nothing to compare). */
  reference: { ms: number; maxRss: number } | undefined;
  problems: string[];
  /** Requests that were not answered 200, and the page's console errors (onnxruntime's warnings among them). */
  notes: string[];
}

/** MemAvailable of /proc/meminfo, in bytes (Infinity where it cannot be read). */
export function availableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readText('/proc/meminfo') ?? '');
  return m ? Number(m[1]) * 1024 : Infinity;
}

const GB = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;
const s = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—');

function machine(loadBefore: string): string {
  const cpu = cpus()[0]?.model ?? '?';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${chromiumVersion()} headless, Node ${process.version}; load average ${loadBefore} at the start, ${loadAverage()} at the end`;
}

/** Error texts from WebGPU span lines; one line each in the table's prose. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function section(run: CheckRun): string {
  const { load, adapter } = run;
  const first = run.calls[0];
  const phases = load.phases.map((p) => `${p.phase} ${s(p.ms)}`).join(', ');
  const lines = [
    `<!-- run: ${run.key} -->`,
    `## ${run.key}`,
    '',
    `${run.started.toISOString().slice(0, 16).replace('T', ' ')} UTC. Model: \`${run.dir}\` (${run.layers} layers, hidden ${run.hiddenSize}), ${run.dtype} files ${GB(run.modelBytes)}; \`device: '${run.device}'\`, \`dtype: '${run.dtype}'\`.`,
    '',
    `Machine: ${machine(run.loadBefore)}.`,
    '',
    adapter
      ? `Adapter: ${adapter.vendor} / ${adapter.architecture} / ${adapter.description || adapter.device || '—'}; maxBufferSize ${GB(adapter.maxBufferSize)}, maxStorageBufferBindingSize ${GB(adapter.maxStorageBufferBindingSize)}; ${adapter.features.includes('shader-f16') ? 'shader-f16' : 'no shader-f16'}.`
      : 'Adapter: none (navigator.gpu gave no adapter).',
    '',
    load.ok
      ? oneLine(
          `Load: ${s(load.ms)} (${phases}); the engine says: ${load.info.device}, ${load.info.dtype} (${load.info.deviceReason}; ${load.info.dtypeReason})${load.info.canary ? `, canary cos ${load.info.canary.cosine.toFixed(6)}: ${load.info.canary.action}` : ''}${load.info.fallback && !load.info.deviceReason.includes(load.info.fallback) ? `; ${load.info.fallback}` : ''}.`,
        )
      : oneLine(`Load FAILED after ${s(load.ms)} (${phases}): ${load.code ?? ''} ${load.message}`),
    `Peak memory during the load: PSS ${GB(run.loadPeakPss)} (RSS ${GB(run.loadPeakRss)}; PSS ${GB(run.pssBefore)} with the page open before the load), Chromium's whole process tree, sampled every 250 ms (PSS of each process read at most once a second, between reads estimated from RSS).`,
    '',
    `Time to the first vector: ${load.ok && first ? s(load.ms + first.ms) : '—'} (the load, then the first call). Per call: ${run.calls.map((c) => `${c.label} ${s(c.ms)} (${s(c.ms / c.texts)} per text)`).join('; ')}.`,
    '',
    `| text | as | tokens | cos to the float64 reference | 1 − cos |`,
    `|---|---|---:|---:|---:|`,
    ...run.texts.map(
      (t) =>
        `| ${t.text} | ${t.kind === 'query' ? `query (\`${run.instruction}\`)` : 'document'} | ${t.tokens} | ${Number.isFinite(t.cos) ? t.cos.toFixed(7) : '—'} | ${Number.isFinite(t.cos) ? (1 - t.cos).toExponential(1) : '—'} |`,
    ),
    '',
    run.reference
      ? `Reference: float64, read and dequantised one layer at a time from the same files (tests/reference/weight-source.ts), each text unpadded on its own: ${s(run.reference.ms)}, Node's peak RSS ${GB(run.reference.maxRss)}.`
      : 'Reference: not run (no vectors to compare).',
  ];
  if (run.halfProbe)
    lines.push(
      '',
      `onnxruntime-web itself on ${run.halfProbe.file} (no tabembed): WebGPU — ${run.halfProbe.webgpu}; WASM — ${run.halfProbe.wasm}${run.halfProbe.cosine === undefined ? '' : `; cos(WebGPU, WASM) on the last position ${run.halfProbe.cosine.toFixed(6)}`}.`,
    );
  if (run.notes.length > 0)
    lines.push(
      '',
      'Not failures, noted:',
      ...[...new Set(run.notes.map(oneLine))].filter(Boolean).map((n) => `- ${n}`),
    );
  lines.push(
    '',
    run.problems.length === 0
      ? 'No problem found.'
      : `Problems:\n${run.problems.map((p) => `- ${oneLine(p)}`).join('\n')}`,
    '',
  );
  return lines.join('\n');
}

const HEAD = [
  '# Qwen3-Embedding-4B-shaped fixtures in a tab (issue 17)',
  '',
  'Written by `npm run check:4b` (bench/qwen3-4b.ts); one section per model, dtype and device, the latest run of each. Not run in CI.',
  '',
].join('\n');

/** Replaces (or appends) the run's section in `file`; returns the section. */
export function writeRun(file: string, run: CheckRun): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : HEAD;
  const mine = section(run);
  const marker = `<!-- run: ${run.key} -->`;
  const at = text.indexOf(marker);
  let next: string;
  if (at < 0) next = `${text.trimEnd()}\n\n${mine}`;
  else {
    const end = text.indexOf('<!-- run: ', at + marker.length);
    next = `${text.slice(0, at)}${mine}${end < 0 ? '' : `\n${text.slice(end)}`}`;
  }
  writeFileSync(file, next);
  return mine;
}
