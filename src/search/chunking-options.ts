/** How sources are cut into chunks: the page's chunker and the CLI's index command. */
export interface ChunkingOptions {
  /** Most tokens per chunk (default 256). */
  chunkTokens: number;
  /** Tokens a chunk repeats from the end of the one before (default 32; less than chunkTokens). */
  overlapTokens: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { chunkTokens: 256, overlapTokens: 32 };
