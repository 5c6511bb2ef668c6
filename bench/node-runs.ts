/**
 * Node runs, the parent side: each contender's job is written to a file, node-child.ts runs it
 * in its own process under a memory and time cap, and its one result line is read back.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statfsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT, type Dtype } from './bench-args.ts';
import { batchLabel, QUERY, tjsBatches, type BenchContext, type BenchModel } from './bench-context.ts';
import { RESULT_TAG, type ChildResult, type Job } from './node-child.ts';
import { median, readText } from './process-memory.ts';
import { fmt, rowLine, type Row } from './report-table.ts';

const CHILD_ENTRY = join(import.meta.dirname, 'node-child.ts');

let cachedCap: number | undefined;
/** The most RSS one child may use: MemAvailable when the bench started, less 3 GiB. */
export function memoryCap(): number {
  if (cachedCap === undefined) {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readText('/proc/meminfo') ?? '');
    cachedCap = Math.max(2 * 2 ** 30, (m ? Number(m[1]) * 1024 : totalmem() / 2) - 3 * 2 ** 30);
  }
  return cachedCap;
}

export function spawnChild(job: Job, workDir: string, timeoutMs: number): Promise<ChildResult> {
  const jobFile = join(workDir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolvePromise) => {
    const child: ChildProcess = spawn(process.execPath, [...process.execArgv, CHILD_ENTRY, jobFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // A whole-list transformers.js call can want more memory than the machine has; stop it
    // before the kernel's OOM killer picks a process (maybe someone else's) on a shared machine.
    let capped = 0;
    const cap = memoryCap();
    const watch = setInterval(() => {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readText(`/proc/${child.pid}/status`) ?? '');
      const rss = m ? Number(m[1]) * 1024 : 0;
      if (rss > cap) {
        capped = rss;
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      if (capped > 0) {
        resolvePromise({
          ok: false,
          error: `stopped at ${(capped / 2 ** 30).toFixed(1)} GiB RSS (the bench's cap, ${(cap / 2 ** 30).toFixed(1)} GiB: memory available at start − 3 GiB)`,
          peakRss: capped,
        });
        return;
      }
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (line) {
        resolvePromise(JSON.parse(line.slice(RESULT_TAG.length)) as ChildResult);
        return;
      }
      const why =
        signal === 'SIGKILL'
          ? `killed after ${Math.round(timeoutMs / 1000)} s (timeout) or by the OOM killer`
          : `exit ${code ?? signal}`;
      const last = stderr
        .split('\n')
        .filter((l) => l.trim() && l.length < 400)
        .slice(-3)
        .join(' | ');
      resolvePromise({ ok: false, error: `${why}${last ? `: ${last}` : ''}` });
    });
  });
}

/**
 * Phase 1: tabembed (native, wasm) vs transformers.js's pipeline in Node on `model`, one child
 * per contender; `tjs: false` runs tabembed alone (a smoke check).
 */
export async function runNodePhase(
  ctx: BenchContext,
  model: BenchModel,
  dtypes: readonly Dtype[],
  tjs: boolean,
): Promise<void> {
  const { textsFile, totalTokens } = model;
  const { reps, workDir, childTimeout } = ctx;
  const count = model.texts.length;
  for (const dtype of dtypes) {
    const contenders: [string, string, Job][] = [
      ['tabembed native', 'auto', { kind: 'tabembed', model: model.dir, dtype, backend: 'native', textsFile, reps }],
      ['tabembed wasm', 'auto', { kind: 'tabembed', model: model.dir, dtype, backend: 'wasm', textsFile, reps }],
      ...(tjs ? tjsBatches(count) : []).map((b): [string, string, Job] => [
        'transformers.js (node)',
        batchLabel(b, count),
        { kind: 'tjs', modelRoot: model.root, modelId: model.name, dtype, runtime: 'node', batch: b, textsFile, reps },
      ]),
    ];
    for (const [contender, batch, job] of contenders) {
      const load = loadavg()[0] ?? NaN;
      const result = await spawnChild(job, workDir, childTimeout);
      const row: Row = {
        where: 'node',
        model: model.name,
        dtype,
        contender,
        batch,
        texts: count,
        tokens: totalTokens,
        result,
        memLabel: 'peak RSS',
        load,
      };
      if (result.ok && result.tokens !== undefined && result.tokens !== totalTokens)
        ctx.notes.push(`tabembed counted ${result.tokens} tokens on ${model.name}, the runner ${totalTokens}`);
      ctx.rows.push(row);
      ctx.log(rowLine(row));
    }
  }
}

/** Phase 5 in Node: the warm short query on `model` q8, native and wasm. */
export async function runNodeQuery(ctx: BenchContext, model: BenchModel): Promise<Record<string, ChildResult>> {
  const queryNode: Record<string, ChildResult> = {};
  for (const backend of ['native', 'wasm'] as const) {
    const q = await spawnChild(
      { kind: 'query', model: model.dir, dtype: 'q8', backend, ...QUERY, textsFile: model.textsFile },
      ctx.workDir,
      ctx.childTimeout,
    );
    queryNode[backend] = q;
    ctx.log(
      `  node query ${model.name} q8 ${backend}: ${q.ok ? `tabembed p50 ${fmt(median(q.tabembedTimes ?? []), 3)} ms, bare session.run p50 ${fmt(median(q.bareTimes ?? []), 3)} ms` : `FAILED ${q.error ?? ''}`}`,
    );
  }
  return queryNode;
}

/** Phase 4 (not with --quick): the full-size random qwen3-0.6b preset, WASM in Node for both. */
export async function runFullPresetPhase(
  ctx: BenchContext,
  corpus: { texts: string[]; tokenCounts: number[] },
  fullCount: number,
): Promise<void> {
  const fullRoot = join(tmpdir(), 'tbench-models');
  const fullDir = join(fullRoot, 'qwen3-0.6b-random');
  const freeGiB = (statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize) / 2 ** 30;
  if (!existsSync(join(fullDir, 'onnx/model_q4.onnx')) && freeGiB < 8) {
    ctx.notes.push(`full-size preset skipped: ${freeGiB.toFixed(1)} GiB free in ${tmpdir()} (needs ~8)`);
    return;
  }
  if (!existsSync(join(fullDir, 'onnx/model_q4.onnx')) || !existsSync(join(fullDir, 'onnx/model_quantized.onnx'))) {
    ctx.log(`generating the qwen3-0.6b preset into ${fullRoot} (~100 s)…`);
    execFileSync('npx', ['tsx', 'scripts/fixture/main.ts', '--preset', 'qwen3-0.6b', '--out', fullRoot], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const fullTexts = corpus.texts.slice(0, fullCount);
  const fullTokens = corpus.tokenCounts.slice(0, fullCount).reduce((a, b) => a + b, 0);
  const fullFile = join(ctx.workDir, 'full-texts.json');
  writeFileSync(fullFile, JSON.stringify(fullTexts));
  for (const dtype of ['q4', 'q8'] as const) {
    const contenders: [string, string, Job][] = [
      [
        'tabembed wasm',
        'auto',
        { kind: 'tabembed', model: fullDir, dtype, backend: 'wasm', textsFile: fullFile, reps: 1 },
      ],
      [
        'transformers.js (node wasm)',
        batchLabel(0, fullCount),
        {
          kind: 'tjs',
          modelRoot: fullRoot,
          modelId: 'qwen3-0.6b-random',
          dtype,
          runtime: 'wasm',
          batch: 0,
          textsFile: fullFile,
          reps: 1,
        },
      ],
      [
        'transformers.js (node wasm)',
        '8',
        {
          kind: 'tjs',
          modelRoot: fullRoot,
          modelId: 'qwen3-0.6b-random',
          dtype,
          runtime: 'wasm',
          batch: 8,
          textsFile: fullFile,
          reps: 1,
        },
      ],
    ];
    for (const [contender, batch, job] of contenders) {
      const load = loadavg()[0] ?? NaN;
      const result = await spawnChild(job, ctx.workDir, 20 * 60_000);
      const row: Row = {
        where: 'node wasm',
        model: 'qwen3-0.6b',
        dtype,
        contender,
        batch,
        texts: fullCount,
        tokens: fullTokens,
        result,
        memLabel: 'peak RSS',
        load,
      };
      ctx.rows.push(row);
      ctx.log(rowLine(row));
    }
  }
}
