/*
 * The few globals that every host tabembed runs in offers (a page, a worker, Node), declared for
 * the code compiled without DOM or Node types (tsconfig.core.json: src/core and src/search), so
 * that it may use them and nothing else of its hosts. Only what that code uses is declared.
 */
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(timer: unknown): void;

declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
}
