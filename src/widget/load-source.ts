/**
 * Where the element's items and vectors come from: the `src` file (a precomputed index, a
 * compact index's head, or a plain corpus), fetched from the page's own site, and for a compact
 * index its shard files beside it, fetched when a search needs them. Only these files are
 * fetched; nothing about the visitor's queries goes anywhere.
 */
import { EmbedError } from '../client/index.ts';
import type { CompactFiles } from '../search/compact-index.ts';
import { parseSourceText, type SearchSource } from '../search/index-file.ts';

/**
 * @example
 * await loadSource('/search/index.json', signal);
 * // { source: { kind: 'index', index } | { kind: 'compact', head } | { kind: 'corpus', items }, files }
 * // throws EmbedError SOURCE_INVALID (unreachable, not found, unreadable), ABORTED
 */
export async function loadSource(
  src: string,
  signal: AbortSignal,
): Promise<{ source: SearchSource; files: CompactFiles }> {
  const url = new URL(src, document.baseURI);
  const response = await fetchOk(url, `src="${src}"`, 'check the path to the index or corpus file', signal);
  const source = parseSourceText(await response.text(), src);
  // A shard's name is a plain file name (compact-index-file.ts checks it), so it resolves beside the head.
  const shard = (name: string): Promise<Response> =>
    fetchOk(
      new URL(name, url),
      `${name} (a shard of ${src})`,
      'copy every file `tabembed index --out` wrote next to the head',
    );
  return {
    source,
    files: {
      bytes: async (name) => new Uint8Array(await (await shard(name)).arrayBuffer()),
      text: async (name) => (await shard(name)).text(),
    },
  };
}

async function fetchOk(url: URL, what: string, next: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw new EmbedError('ABORTED', `loading ${what} was cancelled`, { cause: error });
    throw new EmbedError(
      'SOURCE_INVALID',
      `${what} could not be fetched (${error instanceof Error ? error.message : String(error)}); check the URL, and that the server allows this page to read it`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${what} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}; ${next}`,
    );
  }
  return response;
}
