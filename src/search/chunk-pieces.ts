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

/** Segments between two yields to the event loop (about a millisecond of ICU work). */
const SEGMENTS_PER_SLICE = 4096;

/** Lets timers, messages and rendering run: a macrotask, not a microtask, which would not. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Pieces covering `text` end to end, none longer than `maxChars` code units (a longer word, a
 * URL or a run without spaces is cut, never inside a surrogate pair).
 *
 * @example
 * await textPieces('Hi there. Bye', 32);
 * // [{ start: 0, end: 2 }, { start: 2, end: 8 }, { start: 8, end: 9, sentenceEnd: true }, { start: 9, end: 13 }]
 */
export async function textPieces(text: string, maxChars: number): Promise<Piece[]> {
  const sentenceEnds = await sentenceEndOffsets(text);
  const pieces: Piece[] = [];
  let pendingStart: number | undefined; // start of whitespace waiting for the next word
  let seen = 0;
  for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text)) {
    if (++seen % SEGMENTS_PER_SLICE === 0) await yieldToEventLoop();
    if (/^\s+$/u.test(segment)) {
      pendingStart ??= index;
      continue;
    }
    pushCut(pieces, text, pendingStart ?? index, index + segment.length, maxChars);
    pendingStart = undefined;
  }
  if (pendingStart !== undefined) {
    // Trailing whitespace has no word after it: it joins the last piece (or is the only one).
    const last = pieces.pop();
    pushCut(pieces, text, last?.start ?? pendingStart, text.length, maxChars);
  }
  for (const piece of pieces) piece.sentenceEnd = sentenceEnds.has(piece.end);
  return pieces;
}

function pushCut(pieces: Piece[], text: string, start: number, end: number, maxChars: number): void {
  let from = start;
  while (end - from > maxChars) {
    let cut = from + maxChars;
    if (isLowSurrogate(text.charCodeAt(cut))) cut--; // keep the pair together
    pieces.push({ start: from, end: cut, sentenceEnd: false });
    from = cut;
  }
  pieces.push({ start: from, end, sentenceEnd: false });
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Where sentences end, moved back over the whitespace ICU counts into the sentence ("Hi. |Bye"
 * ends at "Hi." since that whitespace belongs to the next piece here). The text's end is left
 * out: the last chunk ends there anyway.
 */
async function sentenceEndOffsets(text: string): Promise<Set<number>> {
  const ends = new Set<number>();
  let seen = 0;
  for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: 'sentence' }).segment(text)) {
    if (++seen % SEGMENTS_PER_SLICE === 0) await yieldToEventLoop();
    let end = index + segment.length;
    if (end >= text.length) continue;
    while (end > index && /\s/u.test(text.charAt(end - 1))) end--;
    if (end > index) ends.add(end);
  }
  return ends;
}
