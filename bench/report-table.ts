/** The human table: one row per contender, formatted for the terminal and bench/results.md. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { cosine } from '../src/core/cosine.ts';
import { MiB } from './bench-args.ts';
import type { BrowserRun } from './chromium-runs.ts';
import type { ChildResult } from './node-child.ts';

const require = createRequire(import.meta.url);

export interface Row {
  where: string;
  model: string;
  dtype: string;
  contender: string;
  batch: string;
  texts: number;
  tokens: number;
  result: ChildResult | BrowserRun;
  memLabel: 'peak RSS' | 'peak PSS';
  /** 1-minute load average when the row started (other work on a shared machine). */
  load: number;
}

export const fmt = (x: number | undefined, d = 0): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d);
export const mb = (b: number | undefined): string => (b === undefined ? '—' : fmt(b / MiB));
export const textsPerS = (r: ChildResult | BrowserRun): number | undefined =>
  r.ok && r.ms ? ((r.n ?? 0) / r.ms) * 1000 : undefined;
export const peakOf = (r: ChildResult | BrowserRun): number | undefined =>
  'peakPss' in r && r.peakPss !== undefined ? r.peakPss : 'peakRss' in r ? r.peakRss : undefined;

export function agreement(
  a: ChildResult | BrowserRun | undefined,
  b: ChildResult | BrowserRun | undefined,
): number | undefined {
  if (!a?.head || !b?.head || a.head.length === 0) return undefined;
  return Math.min(...a.head.map((v, i) => (b.head?.[i] ? cosine(v, b.head[i]) : NaN)));
}

export function table(rows: Row[], tabembedBaseline: (r: Row) => Row | undefined): string {
  const head = [
    'where',
    'model',
    'dtype',
    'contender',
    'batch',
    'texts',
    'texts/s',
    'tokens/s',
    'peak MB',
    'loaded MB',
    'CPU cores busy',
    'load avg',
    'load s',
    'vs tabembed',
    'status',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const tps = textsPerS(r.result);
    const base = tabembedBaseline(r);
    const baseTps = base ? textsPerS(base.result) : undefined;
    const cpu = r.result.cpuMs !== undefined && r.result.ms ? r.result.cpuMs / r.result.ms : undefined;
    const loaded =
      'pssLoaded' in r.result ? r.result.pssLoaded : 'rssLoaded' in r.result ? r.result.rssLoaded : undefined;
    lines.push(
      `| ${[
        r.where,
        r.model,
        r.dtype,
        r.contender,
        r.batch,
        String(r.texts),
        fmt(tps, 1),
        fmt(tps === undefined ? undefined : (r.tokens / r.texts) * tps, 0),
        `${mb(peakOf(r.result))} ${r.memLabel === 'peak PSS' ? '(PSS)' : '(RSS)'}`,
        mb(loaded),
        fmt(cpu, 2),
        fmt(r.load, 1),
        fmt(r.result.loadMs === undefined ? undefined : r.result.loadMs / 1000, 2),
        r.contender.startsWith('transformers') && tps && baseTps
          ? `${fmt(baseTps / tps, 2)}× faster, ${fmt((peakOf(base!.result) ?? NaN) / (peakOf(r.result) ?? NaN), 2)}× mem`
          : '',
        r.result.ok ? 'ok' : `FAILED: ${r.result.error ?? ''}`.replace(/\|/g, '/'),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function machine(): { text: string; nproc: number; memGiB: number; cpu: string } {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const nproc = availableParallelism();
  const memGiB = totalmem() / 2 ** 30;
  return { text: `${nproc}× ${cpu}, ${memGiB.toFixed(1)} GiB`, nproc, memGiB, cpu };
}

export function versionOf(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== pkg
  ) {
    const up = dirname(dir);
    if (up === dir) return '?';
    dir = up;
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** One progress line per row as the run goes. */
export function rowLine(r: Row): string {
  const tps = textsPerS(r.result);
  return `  ${r.where} ${r.model} ${r.dtype} ${r.contender.padEnd(22)} batch ${r.batch.padEnd(10)} ${r.result.ok ? `${fmt(tps, 1)} texts/s, peak ${mb(peakOf(r.result))} MB` : `FAILED ${r.result.error ?? ''}`}`;
}
