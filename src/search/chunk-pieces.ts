/**
 * Step one of chunking: cut a text into small pieces that chunk boundaries may fall between.
 * Pieces are Intl.Segmenter words (ICU's dictionaries split Chinese and Japanese, which have no
 * spaces, into words), with each run of whitespace glued to the word after it, because Qwen's
 * BPE pre-tokenizer puts the space in front of a word (" world" is one token, "world" + " " is
 * not), so a piece's own token count is close to what it costs inside a chunk.
 */

/** `[start, end)` in UTF-16 code units; `sentenceEnd` says a sentence (or paragraph) ends at `end`. */
export interface Piece {
  start: number;
  end: number;
  sentenceEnd: boolean;
}

/**
 * Text is segmented in windows of about this many code units. V8's Intl.Segmenter slows down
 * more than linearly with the length of the string it walks (here: 17 k characters of English
 * in 0.2 s, 68 k in 0.8 s, 120 k of mixed scripts in 19 s; in 4 k windows the 68 k take 0.1 s),
 * so long texts are cut at whitespace or a CJK sentence mark and each window segmented alone.
 */
const WINDOW_CHARS = 4096;
/** Windows between two yields to the event loop: ~16 k characters, a few thousand pieces, a few ms. */
const WINDOWS_PER_SLICE = 4;

/** Lets timers, messages and rendering run: a macrotask, not a microtask, which would not. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Pieces covering `text` end to end.
 *
 * @example
 * await textPieces('Hi there. Bye');
 * // [{ start: 0, end: 2 }, { start: 2, end: 8 }, { start: 8, end: 9, sentenceEnd: true }, { start: 9, end: 13 }]
 */
export async function textPieces(text: string): Promise<Piece[]> {
  const words = new Intl.Segmenter(undefined, { granularity: 'word' });
  const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const pieces: Piece[] = [];
  const sentenceEnds = new Set<number>();
  let pendingStart: number | undefined; // start of whitespace waiting for the next word
  let windows = 0;
  for (let from = 0; from < text.length;) {
    if (windows++ % WINDOWS_PER_SLICE === WINDOWS_PER_SLICE - 1) await yieldToEventLoop();
    const to = windowEnd(text, from);
    const window = text.slice(from, to);
    for (const { segment, index } of words.segment(window)) {
      if (/^\s+$/u.test(segment)) {
        pendingStart ??= from + index;
        continue;
      }
      pieces.push({ start: pendingStart ?? from + index, end: from + index + segment.length, sentenceEnd: false });
      pendingStart = undefined;
    }
    for (const end of sentenceEndsIn(window, sentences)) sentenceEnds.add(from + end);
    from = to;
  }
  if (pendingStart !== undefined) {
    // Trailing whitespace has no word after it: it joins the last piece (or is the only one).
    const last = pieces.pop();
    pieces.push({ start: last?.start ?? pendingStart, end: text.length, sentenceEnd: false });
  }
  for (const piece of pieces) piece.sentenceEnd = sentenceEnds.has(piece.end);
  return pieces;
}

/**
 * Where the window from `from` ends: before the last whitespace, or after the last CJK sentence
 * mark, in its second half (both are word boundaries), else at its length, never inside a
 * surrogate pair (a piece boundary inside a word only makes the estimate a little rougher).
 * Also how the lexical index (lexical-tokens.ts) walks a long text.
 */
export function windowEnd(text: string, from: number): number {
  const limit = from + WINDOW_CHARS;
  if (limit >= text.length) return text.length;
  for (let at = limit; at > from + WINDOW_CHARS / 2; at--) {
    const c = text.charAt(at);
    if (/\s/u.test(c)) return at;
    if (/[。！？；，、]/u.test(text.charAt(at - 1))) return at;
  }
  return isLowSurrogate(text.charCodeAt(limit)) ? limit - 1 : limit;
}

/**
 * Cuts a piece into `parts` pieces of about equal length, never inside a surrogate pair (a
 * long word, a URL, a run of one character: what can be too many tokens for one chunk).
 * Only the last part keeps the piece's sentence end.
 *
 * @example
 * splitPiece('abcdef', { start: 0, end: 6, sentenceEnd: true }, 3); // [0,2) [2,4) [4,6, sentenceEnd]
 */
export function splitPiece(text: string, piece: Piece, parts: number): Piece[] {
  const out: Piece[] = [];
  const length = piece.end - piece.start;
  let from = piece.start;
  for (let i = 1; i < parts; i++) {
    let cut = piece.start + Math.round((i * length) / parts);
    if (isLowSurrogate(text.charCodeAt(cut))) cut--; // keep the pair together
    if (cut <= from) continue;
    out.push({ start: from, end: cut, sentenceEnd: false });
    from = cut;
  }
  out.push({ start: from, end: piece.end, sentenceEnd: piece.sentenceEnd });
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Where sentences end in `window`, moved back over the whitespace ICU counts into the sentence
 * ("Hi. |Bye" ends at "Hi." since that whitespace belongs to the next piece here). The window's
 * end is left out: it is the text's end, or a cut that is no sentence end.
 */
function sentenceEndsIn(window: string, sentences: Intl.Segmenter): number[] {
  const ends: number[] = [];
  for (const { segment, index } of sentences.segment(window)) {
    let end = index + segment.length;
    if (end >= window.length) continue;
    while (end > index && /\s/u.test(window.charAt(end - 1))) end--;
    if (end > index) ends.push(end);
  }
  return ends;
}
