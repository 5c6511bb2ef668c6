/**
 * Checks what the page hands the search worker. Comlink carries plain data the compiler never
 * saw on this side, and a bad chunk stored in IndexedDB would outlive the page that sent it.
 */
import { EmbedError } from '../core/errors.ts';
import type { Chunk, SourceText } from '../protocol/search-data.ts';

/**
 * A source with its chunks, as addSources takes it. Throws SOURCE_INVALID naming the source
 * (or `chunks[i]`) and the rule it breaks.
 */
export function checkSourceEntry(entry: { source: SourceText; chunks: Chunk[] }, at: number): void {
  const { source, chunks } = entry;
  const where = `sources[${at}]`;
  if (
    typeof source.id !== 'string' ||
    source.id === '' ||
    typeof source.name !== 'string' ||
    typeof source.text !== 'string'
  ) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} needs a non-empty string id, a string name and a string text (see SourceText)`,
      { index: at },
    );
  }
  if (!Array.isArray(chunks) || chunks.length === 0) {
    throw new EmbedError('SOURCE_INVALID', `${where} (${source.id}) has no chunks: cut it with chunkSource() first`, {
      index: at,
    });
  }
  chunks.forEach((chunk, i) => {
    const rule =
      chunk.sourceId !== source.id
        ? `its sourceId is ${JSON.stringify(chunk.sourceId)}`
        : chunk.id !== `${source.id}#${chunk.ordinal}`
          ? `its id ${JSON.stringify(chunk.id)} is not "${source.id}#<ordinal>"`
          : chunk.ordinal !== i
            ? `its ordinal is ${chunk.ordinal}, not ${i}`
            : chunk.text !== source.text.slice(chunk.start, chunk.end)
              ? `its text is not source.text.slice(${chunk.start}, ${chunk.end})`
              : !Number.isInteger(chunk.tokens) || chunk.tokens < 1
                ? `its tokens (${chunk.tokens}) is not a whole number ≥ 1`
                : undefined;
    if (rule !== undefined)
      throw new EmbedError(
        'SOURCE_INVALID',
        `${where} (${source.id}): chunks[${i}] does not belong to it (${rule}); pass the chunks chunkSource() made for this source`,
        { index: at },
      );
  });
}

/**
 * A batch for storeVectors. Throws INVALID_INPUT for a bad id list, a repeated id, a vector
 * array of the wrong type or length, or dimensions other than the index's.
 */
export function checkVectorBatch(
  chunkIds: unknown,
  vectors: Float32Array,
  dimensions: number,
  indexDims: number,
): asserts chunkIds is string[] {
  const list: readonly unknown[] = Array.isArray(chunkIds) ? chunkIds : [undefined];
  const ids = list.filter((id) => typeof id === 'string');
  if (!Array.isArray(chunkIds) || ids.length !== list.length) {
    throw new EmbedError('INVALID_INPUT', 'chunkIds must be an array of chunk id strings (from pendingChunks())');
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id))
      throw new EmbedError(
        'INVALID_INPUT',
        `chunkIds[${i}] (${JSON.stringify(id)}) repeats an earlier id in this batch: send each chunk once`,
        { index: i },
      );
    seen.add(id);
  });
  if (dimensions !== indexDims) {
    throw new EmbedError(
      'INVALID_INPUT',
      `dimensions is ${String(dimensions)} but the index was opened for ${indexDims}: embed with dimensions ${indexDims}, or open() with the fingerprint these vectors have`,
    );
  }
  if (!(vectors instanceof Float32Array) || vectors.length !== ids.length * dimensions) {
    const got = vectors instanceof Float32Array ? `${vectors.length} values` : 'not a Float32Array';
    throw new EmbedError(
      'INVALID_INPUT',
      `vectors must be a Float32Array of ${ids.length} × ${dimensions} = ${ids.length * dimensions} values, got ${got}`,
    );
  }
}
