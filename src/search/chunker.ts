/**
 * Token-aware chunking of one source for the index. Three steps:
 *  1. textPieces: words with their leading whitespace (chunk-pieces.ts);
 *  2. one countTokens call for every piece (again for the parts of a piece too large to keep
 *     whole), then greedy packing by the sums (chunk-packing.ts);
 *  3. one countTokens call for every chunk and every overlap, then repairs, because BPE merges
 *     across piece boundaries make the sums approximate (Chinese most: Qwen's pre-tokenizer
 *     sees a whole run of Han characters as one word while ICU splits it into several).
 *     A chunk over chunkTokens is split; an overlap under overlapTokens starts the next chunk
 *     earlier. Only the changed texts are counted again, until nothing changes.
 */
import { EmbedError } from '../core/errors.ts';
import { splitPiece, textPieces, type Piece } from './chunk-pieces.ts';
import { overlapStart, packSpans, prefixSums, splitSpan, type Span } from './chunk-packing.ts';
import { type Chunk, type SourceText } from '../protocol/search-data.ts';
import { DEFAULT_CHUNKING, type ChunkingOptions } from './chunking-options.ts';

/** Counts content tokens per text (the embedder's `countTokens`). */
export type CountTokens = (texts: string[]) => Promise<number[]>;

export const MIN_CHUNK_TOKENS = 16;
export const MAX_CHUNK_TOKENS = 8192;

/**
 * Rounds that may move a chunk's start back for a short overlap. One round fixes nearly every
 * case (the deficit is measured, and the start moves back by it); the cap keeps a pathological
 * text from costing unbounded countTokens calls. Splits of oversized chunks are not capped:
 * each one halves a span, so they end by themselves.
 */
const OVERLAP_REPAIR_ROUNDS = 3;

/**
 * Tokens per piece at most: a quarter of a chunk, so packing always has room for a piece next
 * to an overlap (≤ half a chunk). Words are far smaller; a long URL or a run without spaces is
 * cut (splitPiece) and its parts counted again. A code point is ≤ 4 tokens (byte-level BPE:
 * ≤ one token per UTF-8 byte) and chunkTokens ≥ 16, so the cutting always ends.
 */
function maxPieceTokens(chunkTokens: number): number {
  return Math.floor(chunkTokens / 4);
}

/**
 * Counts every piece in one countTokens call; pieces above `most` tokens are split and only
 * their parts counted again (a further call only when such pieces exist).
 */
async function countedPieces(
  text: string,
  countTokens: CountTokens,
  most: number,
): Promise<{ pieces: Piece[]; counts: number[] }> {
  let pieces = await textPieces(text);
  let counts = await countExactly(
    countTokens,
    pieces.map((p) => text.slice(p.start, p.end)),
  );
  for (;;) {
    const parts = new Map<number, Piece[]>();
    pieces.forEach((piece, i) => {
      const count = counts[i] ?? 0;
      // Parts of about most / 2 tokens; a piece that cannot be cut further (one code point) stays.
      const cut = count > most ? splitPiece(text, piece, Math.ceil((2 * count) / most)) : [];
      if (cut.length > 1) parts.set(i, cut);
    });
    if (parts.size === 0) return { pieces, counts };
    const partCounts = await countExactly(
      countTokens,
      [...parts.values()].flat().map((p) => text.slice(p.start, p.end)),
    );
    const nextPieces: Piece[] = [];
    const nextCounts: number[] = [];
    let at = 0;
    pieces.forEach((piece, i) => {
      for (const part of parts.get(i) ?? []) {
        nextPieces.push(part);
        nextCounts.push(partCounts[at++] ?? 0);
      }
      if (!parts.has(i)) {
        nextPieces.push(piece);
        nextCounts.push(counts[i] ?? 0);
      }
    });
    pieces = nextPieces;
    counts = nextCounts;
  }
}

/**
 * Checks chunking options and fills in the defaults.
 * Throws INVALID_OPTION: chunkTokens not a whole number in 16..8192, overlapTokens not in 0..chunkTokens/2.
 */
export function chunkingOptions(options: Partial<ChunkingOptions> = {}): ChunkingOptions {
  const chunkTokens = options.chunkTokens ?? DEFAULT_CHUNKING.chunkTokens;
  const overlapTokens = options.overlapTokens ?? DEFAULT_CHUNKING.overlapTokens;
  if (!Number.isInteger(chunkTokens) || chunkTokens < MIN_CHUNK_TOKENS || chunkTokens > MAX_CHUNK_TOKENS) {
    throw new EmbedError(
      'INVALID_OPTION',
      `chunkTokens must be a whole number from ${MIN_CHUNK_TOKENS} to ${MAX_CHUNK_TOKENS}, got ${String(chunkTokens)}`,
    );
  }
  const most = Math.floor(chunkTokens / 2);
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > most) {
    throw new EmbedError(
      'INVALID_OPTION',
      `overlapTokens must be a whole number from 0 to ${most} (half of chunkTokens ${chunkTokens}), got ${String(overlapTokens)}`,
    );
  }
  return { chunkTokens, overlapTokens };
}

/**
 * Cuts a source into chunks of at most `chunkTokens` real tokens, each repeating at least
 * `overlapTokens` tokens of the one before (where piece sizes allow), ending at a sentence when
 * one lies in the last 20 % of the room. `chunk.text === source.text.slice(start, end)` and the
 * chunks cover the whole text. Yields to the event loop every few thousand pieces.
 *
 * @example
 * const chunks = await chunkSource({ id: 'paste:1', name: 'Pasted text 1', text }, (t) => embedder.countTokens(t));
 * // [{ id: 'paste:1#0', sourceId: 'paste:1', ordinal: 0, text: '…', start: 0, end: 1032, tokens: 251 }, …]
 * // throws SOURCE_INVALID (no text), INVALID_OPTION (see chunkingOptions)
 */
export async function chunkSource(
  source: SourceText,
  countTokens: CountTokens,
  options?: Partial<ChunkingOptions>,
): Promise<Chunk[]> {
  const { chunkTokens, overlapTokens } = chunkingOptions(options);
  const { text } = source;
  if (text.trim() === '') {
    throw new EmbedError(
      'SOURCE_INVALID',
      `source ${JSON.stringify(source.name)} (${source.id}) has no text (empty or only whitespace): remove it or add text`,
    );
  }
  const { pieces, counts: pieceCounts } = await countedPieces(text, countTokens, maxPieceTokens(chunkTokens));
  const sums = prefixSums(pieceCounts);
  let spans = packSpans(pieceCounts, pieces, chunkTokens, overlapTokens);

  const real = new Map<string, number>(); // `${first}:${end}` → counted tokens
  const key = (first: number, end: number): string => `${first}:${end}`;
  const slice = (first: number, end: number): string =>
    text.slice(pieces[first]?.start ?? 0, pieces[end - 1]?.end ?? 0);
  const counted = (first: number, end: number): number => real.get(key(first, end)) ?? Number.NaN;

  for (let round = 0; ; round++) {
    const wanted = new Map<string, string>();
    const want = (first: number, end: number): void => {
      if (end > first && !real.has(key(first, end))) wanted.set(key(first, end), slice(first, end));
    };
    spans.forEach((span, i) => {
      want(span.first, span.end);
      const next = spans[i + 1];
      if (next && overlapTokens > 0) want(next.first, span.end);
    });
    if (wanted.size > 0) {
      const counts = await countExactly(countTokens, [...wanted.values()]);
      [...wanted.keys()].forEach((k, i) => real.set(k, counts[i] ?? Number.NaN));
    }
    const repaired = repair(spans, counted, sums, { chunkTokens, overlapTokens }, round < OVERLAP_REPAIR_ROUNDS);
    if (repaired === spans) break;
    spans = repaired;
  }
  return spans.map((span, ordinal) => toChunk(source, pieces, span, ordinal, counted(span.first, span.end)));
}

/**
 * One repair pass over measured spans; returns the same array when nothing needed fixing.
 * `counted(first, end)` is the real count of pieces [first, end), known for every span and overlap.
 */
function repair(
  spans: Span[],
  counted: (first: number, end: number) => number,
  sums: Float64Array,
  options: ChunkingOptions,
  fixOverlaps: boolean,
): Span[] {
  const { chunkTokens, overlapTokens } = options;
  let changed = false;
  const out: Span[] = [];
  for (const span of spans) {
    // A one-piece span always fits: its real count is the piece's own, ≤ chunkTokens / 4.
    if (counted(span.first, span.end) > chunkTokens && span.end - span.first > 1) {
      out.push(...splitSpan(span, sums, chunkTokens, overlapTokens));
      changed = true;
    } else {
      out.push({ ...span });
    }
  }
  if (fixOverlaps && overlapTokens > 0) {
    for (let i = 0; i + 1 < out.length; i++) {
      const previous = out[i];
      const next = out[i + 1];
      if (!previous || !next || next.first >= previous.end) continue; // new split halves: measured next round
      const got = counted(next.first, previous.end);
      if (!(got < overlapTokens) || next.first <= previous.first + 1) continue;
      // Move back by the measured deficit on top of what the sums already promised.
      const estimate = (sums[previous.end] ?? 0) - (sums[next.first] ?? 0);
      const first = overlapStart(
        sums,
        previous.end,
        estimate + (overlapTokens - got),
        previous.first,
        Number.POSITIVE_INFINITY,
      );
      const earlier = Math.min(first, next.first - 1);
      if (earlier > previous.first) {
        next.first = earlier;
        changed = true;
      }
    }
  }
  return changed ? out : spans;
}

async function countExactly(countTokens: CountTokens, texts: string[]): Promise<number[]> {
  const counts = await countTokens(texts);
  if (counts.length !== texts.length || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new EmbedError(
      'INVALID_INPUT',
      `countTokens returned ${counts.length} counts for ${texts.length} texts (or a count that is not a whole number): pass the embedder's own countTokens`,
    );
  }
  return counts;
}

function toChunk(source: SourceText, pieces: readonly Piece[], span: Span, ordinal: number, tokens: number): Chunk {
  const start = pieces[span.first]?.start ?? 0;
  const end = pieces[span.end - 1]?.end ?? start;
  return {
    id: `${source.id}#${ordinal}`,
    sourceId: source.id,
    ordinal,
    text: source.text.slice(start, end),
    start,
    end,
    tokens,
  };
}
