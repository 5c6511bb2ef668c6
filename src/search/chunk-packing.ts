/**
 * Step two of chunking, pure: given each piece's token count, decide where chunks start and
 * end. Spans are piece ranges `[first, end)`; a chunk's estimated size is the sum of its
 * pieces' counts (chunker.ts then checks the real counts and repairs what the estimate missed).
 */
import type { Piece } from './chunk-pieces.ts';

export interface Span {
  /** First piece. */
  first: number;
  /** One past the last piece. */
  end: number;
}

/**
 * A sentence end is taken instead of the greedy end when the chunk still holds at least this
 * share of chunkTokens: cutting at a sentence costs at most 20 % of the chunk's room, and a
 * chunk that ends mid-sentence embeds a thought without its end.
 */
const SENTENCE_END_MIN_FILL = 0.8;

/** Prefix sums of the counts: `sums[j] - sums[i]` tokens in pieces `[i, j)`. */
export function prefixSums(counts: readonly number[]): Float64Array {
  const sums = new Float64Array(counts.length + 1);
  counts.forEach((count, i) => (sums[i + 1] = (sums[i] ?? 0) + count));
  return sums;
}

function tokensIn(sums: Float64Array, first: number, end: number): number {
  return (sums[end] ?? 0) - (sums[first] ?? 0);
}

/**
 * The latest piece a chunk ending at `end` may start at so that ≥ `overlap` tokens repeat, but
 * after `notBefore` (so chunks always move forward) and early enough that the chunk has room for
 * piece `end` (so it always holds something new): a piece too large for both rules wins over
 * the overlap.
 */
export function overlapStart(
  sums: Float64Array,
  end: number,
  overlap: number,
  notBefore: number,
  chunkTokens: number,
): number {
  let start = end;
  while (start > notBefore + 1 && tokensIn(sums, start, end) < overlap) start--;
  const pieces = sums.length - 1;
  while (end < pieces && start < end && tokensIn(sums, start, end + 1) > chunkTokens) start++;
  return start;
}

/**
 * Greedy packing: each chunk takes pieces while the sum stays ≤ chunkTokens, then steps back to
 * a sentence end if one lies in its last 20 %; the next chunk starts `overlapTokens` back.
 * Every piece must be ≤ chunkTokens (chunker.ts's cap on piece length guarantees it).
 *
 * @example
 * packSpans([3, 3, 3, 3], [piece…], 6, 3); // [{ first: 0, end: 2 }, { first: 1, end: 3 }, { first: 2, end: 4 }]
 */
export function packSpans(
  counts: readonly number[],
  pieces: readonly Piece[],
  chunkTokens: number,
  overlapTokens: number,
): Span[] {
  const sums = prefixSums(counts);
  const n = counts.length;
  const spans: Span[] = [];
  let first = 0;
  let previousEnd = 0;
  for (;;) {
    let end = first + 1;
    while (end < n && tokensIn(sums, first, end + 1) <= chunkTokens) end++;
    if (end < n) end = sentenceEndNear(sums, pieces, first, end, previousEnd, chunkTokens);
    spans.push({ first, end });
    if (end >= n) return spans;
    first = overlapStart(sums, end, overlapTokens, first, chunkTokens);
    previousEnd = end;
  }
}

/** The last sentence end in `(previousEnd, end]` that keeps the chunk ≥ 80 % full, else `end`. */
function sentenceEndNear(
  sums: Float64Array,
  pieces: readonly Piece[],
  first: number,
  end: number,
  previousEnd: number,
  chunkTokens: number,
): number {
  for (
    let at = end;
    at > previousEnd && at > first && tokensIn(sums, first, at) >= SENTENCE_END_MIN_FILL * chunkTokens;
    at--
  ) {
    if (pieces[at - 1]?.sentenceEnd) return at;
  }
  return end;
}

/**
 * Cuts a span in two near its token midpoint; the second half starts `overlapTokens` back, as
 * packing would have placed it. Used when a span's real count turns out above chunkTokens.
 */
export function splitSpan(span: Span, sums: Float64Array, chunkTokens: number, overlapTokens: number): [Span, Span] {
  const half = tokensIn(sums, span.first, span.end) / 2;
  let mid = span.first + 1;
  while (mid < span.end - 1 && tokensIn(sums, span.first, mid) < half) mid++;
  const secondFirst = overlapStart(sums, mid, overlapTokens, span.first, chunkTokens);
  return [
    { first: span.first, end: mid },
    { first: secondFirst, end: span.end },
  ];
}
