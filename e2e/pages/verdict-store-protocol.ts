/** What verdict-store-worker.ts exposes over Comlink (types only, shared by the worker and the page). */
export interface VerdictStoreWorkerApi {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** The verdict folder's file names, sorted. */
  files(): Promise<string[]>;
  /** Replaces a file's text, as a damaged disk or another program might. */
  overwrite(name: string, text: string): Promise<void>;
}
