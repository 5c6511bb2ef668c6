/**
 * tabembed vs transformers.js, side by side in one run: same model file, same device, same
 * dtype, same texts.
 *
 *     npm run bench                # 1,000 texts, q8 + fp32, the full-size 0.6B preset
 *     npm run bench -- --quick     # 200 texts, q8 in Chromium, no 0.6B (< 5 min on 2 cores)
 *     flags: --texts N  --skip-node  --skip-chromium  --skip-full  --full-texts N  --no-write
 *
 * Phases (every contender in its own process or browser launch, so memory peaks never mix):
 *  1. Node (node-runs.ts, node-child.ts): tabembed (createNodeEmbedder, backend native =
 *     onnxruntime-node and backend wasm = onnxruntime-web's WASM in Node) vs transformers.js's
 *     pipeline (Node, onnxruntime-node) on qwen3-tiny q8 and fp32. One child process per
 *     contender and batch size; texts/s, tokens/s (tokens counted as tabembed feeds them,
 *     <|endoftext|> included), peak RSS (VmHWM), CPU use.
 *  2. Chromium (chromium-runs.ts; Debian's, headless) WASM: tabembed through createEmbedder
 *     (device wasm) vs the pipeline in a module worker (e2e/pages/bench.html), one browser launch
 *     per contender; peak memory = the browser process tree's summed PSS/RSS sampled from /proc
 *     every 50 ms.
 *  3. onnxruntime-web WASM vs onnxruntime-node: tabembed wasm vs native in Node (from 1).
 *  4. The full-size qwen3-0.6b preset (q4, q8; not with --quick): WASM in Node for both.
 *  5. A warm short query: tabembed embed(['short query']) p50 of 50 vs a bare session.run on the
 *     same tensors (src/core/left-pad.ts) — in Node (native, wasm) and in Chromium (worker).
 * transformers.js runs at its default use (the whole list in one call) and in chunks of 1, 8,
 * 32, 128; its best is the fastest of those. Prints one table (report-table.ts) and ends with
 * one JSON line (summary.ts); writes bench/results.md (results-md.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toModelIds } from '../../src/core/model-ids.ts';
import { buildPrompt } from '../../src/core/prompt.ts';
import { argValue, flag, ROOT } from './bench-args.ts';
import { batchLabel, QUERY, type BenchContext } from './bench-context.ts';
import { chromiumVersion, runChromiumPhase, type BrowserRun } from './chromium-runs.ts';
import { buildCorpus, describeCorpus } from './corpus.ts';
import { loadTokenizer, type ChildResult } from './node-child.ts';
import { memoryCap, runFullPresetPhase, runNodePhase } from './node-runs.ts';
import { machine, table, versionOf } from './report-table.ts';
import { queryTableOf, resultsMarkdown, threadsNoteOf } from './results-md.ts';
import { buildSummary, findRow, tabembedOf } from './summary.ts';

async function main(): Promise<void> {
  const quick = flag('--quick');
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? NaN;
  const count = Number(argValue('--texts') ?? (quick ? 200 : 1000));
  const tinyDir = join(ROOT, 'public/models/qwen3-tiny');
  if (!existsSync(join(tinyDir, 'onnx/model_quantized.onnx'))) execFileSync('npx', ['tsx', 'scripts/fixture/main.ts'], { cwd: ROOT, stdio: 'inherit' });
  const workDir = mkdtempSync(join(tmpdir(), 'tbench-'));
  const log = (s: string): void => console.log(s);

  const m = machine();
  memoryCap();
  const versions = {
    node: process.version,
    chromium: '?',
    'onnxruntime-node': versionOf('onnxruntime-node'),
    'onnxruntime-web': versionOf('onnxruntime-web'),
    '@huggingface/transformers': versionOf('@huggingface/transformers'),
  };
  log(`tabembed bench${quick ? ' --quick' : ''}: ${m.text}; node ${versions.node}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  // Corpus, tokens counted the way tabembed feeds them (documents: raw text + <|endoftext|>).
  const tokenizer = await loadTokenizer(tinyDir);
  const countTokens = (t: string): number => toModelIds(tokenizer, buildPrompt(t, 'document'), tokenizer.eosId, 8192).length;
  const corpus = buildCorpus({ count, countTokens });
  const texts = corpus.map((c) => c.text);
  const tokenCounts = texts.map(countTokens);
  const totalTokens = tokenCounts.reduce((a, b) => a + b, 0);
  const corpusLine = describeCorpus(corpus, tokenCounts);
  log(`corpus: ${corpusLine}`);
  const textsFile = join(workDir, 'texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));

  const ctx: BenchContext = {
    quick, workDir, tinyDir, texts, textsFile, tokenCounts, totalTokens, count,
    reps: Number(argValue('--reps') ?? 2),
    childTimeout: (quick ? 3 : 10) * 60_000,
    rows: [], notes: [], log,
  };

  const queryNode: Record<string, ChildResult> = flag('--skip-node') ? {} : await runNodePhase(ctx);
  let chromiumQuery: BrowserRun | undefined;
  if (!flag('--skip-chromium')) {
    versions.chromium = chromiumVersion();
    chromiumQuery = await runChromiumPhase(ctx, { ids: toModelIds(tokenizer, buildPrompt(QUERY.text, 'document'), tokenizer.eosId, 8192), padId: tokenizer.eosId });
  }
  if (!quick && !flag('--skip-full')) await runFullPresetPhase(ctx, Number(argValue('--full-texts') ?? 32));
  else if (quick) ctx.notes.push('full-size qwen3-0.6b preset: not run with --quick');

  const { rows, notes } = ctx;
  const summary = buildSummary({ rows, quick, count, totalTokens, machine: m.text, queryNode, chromiumQuery, batchLabel: (b) => batchLabel(b, count), seconds: (performance.now() - started) / 1000 });
  const tableText = table(rows, (r) => tabembedOf(rows, r));
  const queryTable = queryTableOf(queryNode, chromiumQuery);
  const chromiumTab = findRow(rows, 'chromium wasm', 'qwen3-tiny', 'q8', 'tabembed');
  const threadsNote = threadsNoteOf(chromiumTab && 'threads' in chromiumTab.result ? chromiumTab.result.threads : undefined);

  log('');
  log(tableText);
  log('');
  log(queryTable);
  for (const n of notes) log(`note: ${n}`);
  log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const jsonLine = JSON.stringify(summary);

  if (!flag('--no-write')) {
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    const seconds = (performance.now() - started) / 1000;
    const file = join(ROOT, 'bench/results.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const load = { start: loadAtStart, end: loadavg()[0] ?? NaN };
    writeFileSync(file, resultsMarkdown({ quick, seconds, machine: m, versions, corpusLine, tableText, queryTable, threadsNote, notes, jsonLine, load, previous }));
  }
  rmSync(workDir, { recursive: true, force: true });
  console.log(jsonLine);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
