/**
 * tabembed vs transformers.js, side by side in one run: same model file, same device, same
 * dtype, same texts.
 *
 *     npm run bench                # tiny on 1,000 texts (q8 + fp32), qwen3-wide-2l on 64 (q8, q4, fp32), the full-size 0.6B
 *     npm run bench -- --quick     # qwen3-wide-2l q8 on 32 texts + a tiny smoke check (< 5 min on 2 quiet cores)
 *     flags: --texts N (tiny)  --wide-texts N  --wide-dtypes q8,q4,fp32  --reps N (quick 1, else 2)  --skip-node
 *            --skip-chromium  --skip-full  --full-texts N  --no-write
 *
 * The headline model is qwen3-wide-2l (fixture preset qwen3-0.6b-2l: the real 0.6B width, 2
 * layers, generated into <tmpdir>/tbench-models on first use, ~2 min): its matmuls have the real
 * shapes, so runs measure kernels at work rather than per-call overhead (issue 13). The tiny
 * model runs alone in --quick as a smoke check (tabembed only, Node and Chromium, plus its warm
 * query in Chromium: the absolute overhead in ms).
 *
 * Phases (every contender in its own process or browser launch, so memory peaks never mix):
 *  1. Node (node-runs.ts, node-child.ts): tabembed (createNodeEmbedder, backend native =
 *     onnxruntime-node and backend wasm = onnxruntime-web's WASM in Node) vs transformers.js's
 *     pipeline (Node, onnxruntime-node). One child process per contender and batch size;
 *     texts/s, tokens/s (tokens counted as tabembed feeds them, <|endoftext|> included), peak
 *     RSS (VmHWM), CPU use.
 *  2. Chromium (chromium-runs.ts; Debian's, headless) WASM: tabembed through createEmbedder
 *     (device wasm) vs the pipeline in a module worker (e2e/pages/bench.html), one browser launch
 *     per contender; peak memory = the browser process tree's summed PSS/RSS sampled from /proc
 *     every 50 ms; tabembed's launch also records the load's peak RSS over the model's bytes.
 *  3. onnxruntime-web WASM vs onnxruntime-node, and Chromium WASM vs Node WASM (from 1 and 2).
 *  4. The full-size qwen3-0.6b preset (q4, q8; not with --quick): WASM in Node for both.
 *  5. A warm short query: tabembed embed(['short query']) p50 of 50 vs a bare session.run on the
 *     same tensors (src/core/left-pad.ts), taken in turn — in Node (native, wasm) and in Chromium
 *     (worker; after 100 unmeasured pairs, so V8 has tiered the kernels up).
 *  6. The kernels' floor (Chromium, headline model): the bare session.run summed over the texts,
 *     one text per run; tabembed's time and transformers.js's best over it show how much of each
 *     is the kernels, and so the highest ratio any runtime on these kernels could reach.
 * transformers.js runs at its default use (the whole list in one call) and in chunks of 1, 8,
 * 32, 128 (those below the text count); its best is the fastest of those. Prints one table
 * (report-table.ts) and ends with one JSON line (summary.ts); writes bench/results.md (results-md.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toModelIds } from '../src/core/model-ids.ts';
import { PRESETS, presetHome, variantFileName, type PresetName } from '../scripts/fixture/config.ts';
import { buildPrompt } from '../src/core/prompt.ts';
import { argValue, flag, ROOT, type Dtype } from './bench-args.ts';
import { benchModel, QUERY, type BenchContext } from './bench-context.ts';
import { chromiumVersion, runChromiumPhase, type BrowserRun, type ChromiumPlan } from './chromium-runs.ts';
import { buildCorpus, describeCorpus } from './corpus.ts';
import { loadTokenizer, type ChildResult } from './node-child.ts';
import { memoryCap, runFullPresetPhase, runNodePhase, runNodeQuery } from './node-runs.ts';
import { machine, table, versionOf } from './report-table.ts';
import { queryLabels, queryTableOf, resultsMarkdown, threadsNoteOf, type QueryRun } from './results-md.ts';
import { buildSummary, findRow, tabembedOf } from './summary.ts';

const WIDE_PRESET: PresetName = 'qwen3-0.6b-2l';

const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
const isDtype = (d: string): d is Dtype => (DTYPES as readonly string[]).includes(d);

/** The real-width preset's folder, generated (~2 min, 2 GB) when missing. */
function wideModelDir(): string {
  const dir = join(presetHome(WIDE_PRESET), PRESETS[WIDE_PRESET].dir);
  const files = PRESETS[WIDE_PRESET].variants.map((v) => join(dir, 'onnx', variantFileName(v)));
  if (!files.every((f) => existsSync(f)))
    execFileSync('npx', ['tsx', 'scripts/fixture/main.ts', '--preset', WIDE_PRESET], { cwd: ROOT, stdio: 'inherit' });
  return dir;
}

async function main(): Promise<void> {
  const quick = flag('--quick');
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? NaN;
  const tinyCount = Number(argValue('--texts') ?? (quick ? 32 : 1000));
  const wideCount = Number(argValue('--wide-texts') ?? (quick ? 32 : 64));
  const wideDtypes = (argValue('--wide-dtypes') ?? (quick ? 'q8' : 'q8,q4,fp32')).split(',');
  if (!wideDtypes.every(isDtype))
    throw new Error(`--wide-dtypes: choose from ${DTYPES.join(', ')}, got ${wideDtypes.join(',')}`);
  const tinyDir = join(ROOT, 'public/models/qwen3-tiny');
  if (!existsSync(join(tinyDir, 'onnx/model_quantized.onnx')))
    execFileSync('npx', ['tsx', 'scripts/fixture/main.ts'], { cwd: ROOT, stdio: 'inherit' });
  const wideDir = wideModelDir();
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
  log(
    `tabembed bench${quick ? ' --quick' : ''}: ${m.text}; node ${versions.node}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );

  // Corpus, tokens counted the way tabembed feeds them (documents: raw text + <|endoftext|>).
  // Both models share the tokenizer; each runs on a prefix of the same texts.
  const tokenizer = await loadTokenizer(tinyDir);
  const countTokens = (t: string): number =>
    toModelIds(tokenizer, buildPrompt(t, 'document'), tokenizer.eosId, 8192).length;
  const corpusTexts = buildCorpus({ count: Math.max(tinyCount, wideCount), countTokens });
  const corpus = { texts: corpusTexts.map((c) => c.text), tokenCounts: corpusTexts.map((c) => countTokens(c.text)) };
  const corpusLine = [...new Set([wideCount, tinyCount])]
    .map((n) => `the first ${n}: ${describeCorpus(corpusTexts.slice(0, n), corpus.tokenCounts.slice(0, n))}`)
    .join('; ');
  log(`corpus: ${corpusLine}`);

  const ctx: BenchContext = {
    quick,
    workDir,
    // --quick measures each contender once: on the real-width model a run takes seconds, and the
    // ~14 loads of a 620 MB model already take half the 5 minutes.
    reps: Number(argValue('--reps') ?? (quick ? 1 : 2)),
    childTimeout: (quick ? 3 : 10) * 60_000,
    rows: [],
    notes: [],
    log,
  };
  const wide = benchModel(ctx, wideDir, corpus, wideCount);
  const tiny = benchModel(ctx, tinyDir, corpus, tinyCount);
  const tinyDtypes: Dtype[] = quick ? ['q8'] : ['q8', 'fp32'];

  let queryNode: Record<string, ChildResult> = {};
  let tinyQueryNode: Record<string, ChildResult> = {};
  if (!flag('--skip-node')) {
    await runNodePhase(ctx, wide, wideDtypes, true);
    await runNodePhase(ctx, tiny, tinyDtypes, !quick);
    queryNode = await runNodeQuery(ctx, wide);
    if (!quick) tinyQueryNode = await runNodeQuery(ctx, tiny);
  }
  let chromiumQueries: Record<string, BrowserRun> = {};
  if (!flag('--skip-chromium')) {
    versions.chromium = chromiumVersion();
    const query = {
      ids: toModelIds(tokenizer, buildPrompt(QUERY.text, 'document'), tokenizer.eosId, 8192),
      padId: tokenizer.eosId,
    };
    const plans: ChromiumPlan[] = [
      { model: tiny, dtypes: tinyDtypes, tjs: !quick, query },
      {
        model: wide,
        dtypes: wideDtypes,
        tjs: true,
        query: {
          ...query,
          textIds: wide.texts.map((t) => toModelIds(tokenizer, buildPrompt(t, 'document'), tokenizer.eosId, 8192)),
        },
      },
    ];
    chromiumQueries = await runChromiumPhase(ctx, plans);
  }
  if (!quick && !flag('--skip-full')) await runFullPresetPhase(ctx, corpus, Number(argValue('--full-texts') ?? 32));
  else if (quick) ctx.notes.push('full-size qwen3-0.6b preset: not run with --quick');

  const { rows, notes } = ctx;
  const chromiumQuery = chromiumQueries[wide.name];
  const summary = buildSummary({
    rows,
    quick,
    machine: m.text,
    queryNode,
    chromiumQuery,
    tinyChromiumQuery: chromiumQueries[tiny.name],
    headline: { model: wide.name, texts: wide.texts.length, tokens: wide.totalTokens },
    seconds: (performance.now() - started) / 1000,
  });
  const tableText = table(rows, (r) => tabembedOf(rows, r));
  const queryRuns: QueryRun[] = [
    { label: `${wide.name}, ${queryLabels.native}`, result: queryNode['native'] },
    { label: `${wide.name}, ${queryLabels.wasm}`, result: queryNode['wasm'] },
    { label: `${wide.name}, ${queryLabels.chromium}`, result: chromiumQuery },
    { label: `${tiny.name}, ${queryLabels.native}`, result: tinyQueryNode['native'] },
    { label: `${tiny.name}, ${queryLabels.wasm}`, result: tinyQueryNode['wasm'] },
    { label: `${tiny.name}, ${queryLabels.chromium}`, result: chromiumQueries[tiny.name] },
  ];
  const queryTable = queryTableOf(queryRuns);
  const chromiumTab = findRow(rows, 'chromium wasm', wide.name, 'q8', 'tabembed');
  const threadsNote = threadsNoteOf(
    chromiumTab && 'threads' in chromiumTab.result ? chromiumTab.result.threads : undefined,
  );
  const headlineLine =
    `Headline: Chromium WASM, ${wide.name} (fixture preset ${WIDE_PRESET}: the real 0.6B width, ${PRESETS[WIDE_PRESET].shape.numLayers} layers, random weights) at q8, on the first ${wide.texts.length} texts (${wide.totalTokens} tokens); transformers.js at its best batch size in this run. ` +
    '"chromium_vs_node_wasm" = tabembed\'s Chromium WASM texts/s ÷ its Node onnxruntime-web WASM texts/s (same model, dtype, texts; threads in the notes). ' +
    '"load_peak_over_model_bytes" = the highest summed RSS of the Chromium process tree during createEmbedder() (a first load on a fresh profile, as on a first visit: the files are downloaded into the OPFS cache and handed to onnxruntime from there) less the RSS just before it, ÷ the bytes of the q8 ONNX file, as the load-memory experiment measured a load (bench/archive/load-memory.md). ' +
    '"tiny_query_*": the warm query on qwen3-tiny in Chromium (the smoke check).';

  log('');
  log(tableText);
  log('');
  log(queryTable);
  for (const n of notes) log(`note: ${n}`);
  log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const jsonLine = JSON.stringify(summary);

  if (!flag('--no-write')) {
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    const seconds = (performance.now() - started) / 1000;
    const file = join(ROOT, 'bench/results.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const load = { start: loadAtStart, end: loadavg()[0] ?? NaN };
    writeFileSync(
      file,
      resultsMarkdown({
        quick,
        seconds,
        machine: m,
        versions,
        corpusLine,
        headlineLine,
        tableText,
        queryTable,
        threadsNote,
        notes,
        jsonLine,
        load,
        previous,
      }),
    );
  }
  rmSync(workDir, { recursive: true, force: true });
  console.log(jsonLine);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
