/**
 * A deterministic, multilingual benchmark corpus (no network, no files).
 *
 * Texts are drawn from a seeded PRNG (mulberry32) over small word lists in eight languages
 * (en, de, fr, es, ru, zh, ja, plus code snippets), shaped into sentences. Each text gets a
 * target length in tokens from a mixture that looks like real passages: 30 % short (8–32 tokens:
 * titles, queries), 45 % medium (32–192: paragraphs), 25 % long (192–512: sections). With a
 * `countTokens` function the word count is fitted (bisection) so the tokenised length, final
 * `<|endoftext|>` included, lands within a few tokens of the target; without one the length is
 * estimated from per-language tokens-per-word ratios.
 *
 * The same seed and count always give the same texts in the same order.
 */

import { mulberry32 } from '../scripts/fixture/rng.ts';

export interface CorpusOptions {
  count: number;
  seed?: number;
  /** Tokens the model will see for a text (EOS included). Enables exact length fitting. */
  countTokens?: (text: string) => number;
  minTokens?: number;
  maxTokens?: number;
}

export interface CorpusText {
  text: string;
  lang: Lang;
  targetTokens: number;
}

type Lang = 'en' | 'de' | 'fr' | 'es' | 'ru' | 'zh' | 'ja' | 'code';

const WORDS: Record<Exclude<Lang, 'code'>, string[]> = {
  en: `the of and to in is that for it as with was on be by this are from at or an have not which
    their one all were they more can has been would there when what about model search browser page
    index query vector memory local private offline document passage answer retrieval embedding
    river mountain history science language market city government children water system research
    library student music energy policy health network garden winter journey knowledge experiment
    because however although between during without several important different general public`.split(/\s+/),
  de: `der die das und ist nicht ein eine zu mit auf für von den dem des sich im auch als wird
    werden Suche Browser Seite Dokument Anfrage Speicher Sprache Wissenschaft Geschichte Stadt
    Wasser Regierung Kinder Forschung Bibliothek Musik Energie Gesundheit Netzwerk Garten Winter
    Reise Wissen Versuch jedoch obwohl zwischen während ohne mehrere wichtig verschieden allgemein
    Zusammenarbeit Datenschutz Verarbeitung Rechenleistung Übersetzung Grundlage`.split(/\s+/),
  fr: `le la les et est pas un une de du des à avec sur pour dans par que qui il elle nous vous
    recherche navigateur page document requête mémoire langue science histoire ville eau
    gouvernement enfants recherche bibliothèque musique énergie santé réseau jardin hiver voyage
    connaissance expérience cependant bien entre pendant sans plusieurs important différent général
    confidentialité traitement apprentissage représentation`.split(/\s+/),
  es: `el la los las y es no un una de del a con en por para que quien él ella nosotros búsqueda
    navegador página documento consulta memoria idioma ciencia historia ciudad agua gobierno niños
    investigación biblioteca música energía salud red jardín invierno viaje conocimiento experimento
    sin embargo aunque entre durante varios importante diferente general privacidad procesamiento
    aprendizaje representación`.split(/\s+/),
  ru: `и в не на что с по это как он она они мы вы из за для от до поиск браузер страница
    документ запрос память язык наука история город вода правительство дети исследование
    библиотека музыка энергия здоровье сеть сад зима путешествие знание эксперимент однако хотя
    между во время без несколько важный разный общий конфиденциальность обработка обучение`.split(/\s+/),
  zh: `我们 你们 他们 这个 那个 模型 搜索 浏览器 页面 文档 查询 向量 内存 本地 隐私 离线 检索 嵌入
    河流 山脉 历史 科学 语言 市场 城市 政府 孩子 水 系统 研究 图书馆 音乐 能源 政策 健康 网络 花园
    冬天 旅行 知识 实验 因为 但是 虽然 之间 期间 没有 几个 重要 不同 一般 公共 的 了 是 在 和 有`.split(/\s+/),
  ja: `私たち あなた 彼ら これ それ モデル 検索 ブラウザ ページ 文書 クエリ ベクトル メモリ ローカル
    プライバシー オフライン 埋め込み 川 山 歴史 科学 言語 市場 都市 政府 子供 水 システム 研究 図書館
    音楽 エネルギー 政策 健康 ネットワーク 庭 冬 旅 知識 実験 しかし そして の は が を に で と も`.split(/\s+/),
};

const CODE_LINES = [
  'const embedder = await createEmbedder({ model: { url: "/models/qwen3/" } });',
  'for (let i = 0; i < rows.length; i++) total += rows[i].length;',
  'def cosine(a, b): return sum(x * y for x, y in zip(a, b))',
  'SELECT id, title FROM passages WHERE lang = ? ORDER BY score DESC LIMIT 10;',
  'if err != nil { return nil, fmt.Errorf("open %s: %w", path, err) }',
  'fn main() { let v: Vec<f32> = vec![0.0; 1024]; println!("{}", v.len()); }',
  'export function norm(v: Float32Array): number { return Math.hypot(...v); }',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }',
  'git commit -m "bench: deterministic corpus" && git push origin main',
  '<div class="result"><h3>{{ title }}</h3><p>{{ snippet }}</p></div>',
];

/** Rough tokens per word (Qwen3 BPE), used for the first guess and when no tokenizer is given. */
const TOKENS_PER_WORD: Record<Lang, number> = {
  en: 1.3,
  de: 2.2,
  fr: 1.8,
  es: 1.7,
  ru: 2.6,
  zh: 1.6,
  ja: 1.8,
  code: 14,
};

const LANGS: Lang[] = ['en', 'en', 'en', 'de', 'fr', 'es', 'ru', 'zh', 'ja', 'code'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

/** The 30/45/25 short/medium/long mixture, log-uniform inside each band. */
function targetLength(rand: () => number, min: number, max: number): number {
  const u = rand();
  const [lo, hi] = u < 0.3 ? [min, 32] : u < 0.75 ? [32, 192] : [192, max];
  const t = Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))));
  return Math.max(min, Math.min(max, t));
}

/** An endless, deterministic stream of "words" (a code line counts as one) for one text. */
function wordStream(rand: () => number, lang: Lang, n: number): string {
  if (lang === 'code') {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(pick(rand, CODE_LINES));
    return lines.join('\n');
  }
  const words = WORDS[lang];
  const cjk = lang === 'zh' || lang === 'ja';
  const [comma, stop] = cjk ? ['，', '。'] : [',', '.'];
  let out = '';
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    let w = pick(rand, words);
    if (sentence === 0 && !cjk) w = w.charAt(0).toUpperCase() + w.slice(1);
    out += sentence === 0 || cjk ? w : ` ${w}`;
    sentence++;
    const end = i === n - 1 || (sentence > 5 && rand() < 0.12);
    if (end) {
      out += stop;
      if (i < n - 1) out += cjk ? '' : rand() < 0.15 ? '\n\n' : ' ';
      sentence = 0;
    } else if (sentence > 3 && rand() < 0.08) {
      out += comma;
    }
  }
  return out;
}

export function buildCorpus(options: CorpusOptions): CorpusText[] {
  const { count, seed = 20250611, countTokens, minTokens = 8, maxTokens = 512 } = options;
  const rand = mulberry32(seed);
  const texts: CorpusText[] = [];
  for (let k = 0; k < count; k++) {
    const lang = pick(rand, LANGS);
    const targetTokens = targetLength(rand, minTokens, maxTokens);
    // Each text has its own sub-seed so refitting its word count never shifts later texts.
    const textSeed = Math.floor(rand() * 2 ** 32);
    const make = (n: number): string => wordStream(mulberry32(textSeed), lang, Math.max(1, n));
    let words = Math.max(1, Math.round(targetTokens / TOKENS_PER_WORD[lang]));
    if (countTokens) {
      // Longest prefix-stream whose token count stays ≤ target (the stream is deterministic
      // per seed, so n words are always the same n words).
      let lo = 1;
      let hi = Math.max(2, words * 2);
      while (countTokens(make(hi)) <= targetTokens && hi < 8192) hi *= 2;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (countTokens(make(mid)) <= targetTokens) lo = mid;
        else hi = mid;
      }
      words = lo;
    }
    texts.push({ text: make(words), lang, targetTokens });
  }
  return texts;
}

/** A short summary for the report: count, token quantiles and languages. */
export function describeCorpus(texts: readonly CorpusText[], tokens: readonly number[]): string {
  const sorted = [...tokens].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const sum = tokens.reduce((a, b) => a + b, 0);
  const langs = new Map<string, number>();
  for (const t of texts) langs.set(t.lang, (langs.get(t.lang) ?? 0) + 1);
  const bands = [8, 32, 64, 128, 256, 513].map((hi, i, a) => {
    const lo = i === 0 ? 0 : (a[i - 1] ?? 0);
    return `${lo}–${hi - 1}: ${tokens.filter((n) => n >= lo && n < hi).length}`;
  });
  return (
    `${texts.length} texts, ${sum} tokens (min ${sorted[0] ?? 0}, p50 ${q(0.5)}, p90 ${q(0.9)}, max ${sorted[sorted.length - 1] ?? 0}, mean ${(sum / Math.max(1, texts.length)).toFixed(1)}); ` +
    `bands ${bands.join(', ')}; languages ${[...langs].map(([l, n]) => `${l} ${n}`).join(', ')}`
  );
}
