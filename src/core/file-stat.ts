/**
 * What a model source says about one file before it is read. Its own module because two threads
 * share it: the embed worker records it in the cache manifest, and the page reads that manifest.
 */
export interface FileStat {
  /** Bytes, when the source says (Content-Length, the Hub's X-Linked-Size, a Blob's size). */
  size: number | undefined;
  /** Lower-case hex sha256, when the source publishes one (the Hub's LFS oid). */
  sha256: string | undefined;
}
