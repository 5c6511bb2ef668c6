/**
 * The search layer's data: what a user adds (sources), what gets embedded (chunks), and what
 * every stored vector is tied to (the fingerprint). Plain data only, so it crosses workers and
 * lands in IndexedDB as it is. Types only.
 */

/** One text the user brought: a bundled sample passage, a pasted text or a dropped file. */
export interface SourceText {
  /** Stable within an index: `sample:<id>`, `paste:<n>`, `file:<name>`. */
  id: string;
  /** What the UI shows: a file name, "Pasted text 2", a sample passage's title. */
  name: string;
  text: string;
}

/** A token-sized piece of a source; `text === source.text.slice(start, end)`. */
export interface Chunk {
  /** `${sourceId}#${ordinal}` */
  id: string;
  sourceId: string;
  ordinal: number;
  text: string;
  /** Character offsets (UTF-16 code units) into the source's text. */
  start: number;
  end: number;
  /** Content tokens, counted by the model's own tokenizer (final <|endoftext|> not counted). */
  tokens: number;
}

/**
 * What a vector depends on. Two vectors are comparable only when every field is equal: a search
 * never mixes fingerprints (the page offers to re-index instead).
 */
export interface IndexFingerprint {
  model: string;
  revision: string | undefined;
  dtype: string;
  dimensions: number;
  /** How queries and documents were prompted, e.g. `documents raw; queries "Instruct: {task}\nQuery:{text}"`. */
  instructionPolicy: string;
  /**
   * Where the vectors were computed; a record, not part of the comparison (the same space from
   * a remote engine is the same space). Absent in indexes written before it existed.
   */
  source?: VectorSource | undefined;
}

/**
 * A local model, or a remote engine (its base URL without credentials, its dialect, the model it
 * served); `verified` when its probe vectors matched the local model the fingerprint names.
 */
export type VectorSource =
  { kind: 'local' } | { kind: 'remote'; baseURL: string; engine: string; model: string; verified: boolean };

export type IndexPrecision = 'float32' | 'int8';

export interface SearchHit {
  chunkId: string;
  /** Cosine similarity (vectors are L2-normalised); approximate for int8. */
  score: number;
}
