/**
 * Where the element's items and vectors come from: the `src` file (a precomputed index, or a
 * plain corpus), fetched from the page's own site. Only the file is fetched; nothing about the
 * visitor's queries goes anywhere.
 */
import { EmbedError } from '../client/index.ts';
import { parseSourceText, type SearchSource } from '../search/index-file.ts';

/**
 * @example
 * await loadSource('/search/index.json', signal); // { kind: 'index', index } | { kind: 'corpus', items }
 * // throws EmbedError SOURCE_INVALID (unreachable, not found, unreadable), ABORTED
 */
export async function loadSource(src: string, signal: AbortSignal): Promise<SearchSource> {
  const url = new URL(src, document.baseURI);
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'same-origin' });
  } catch (error) {
    if (signal.aborted) throw new EmbedError('ABORTED', `loading ${src} was cancelled`, { cause: error });
    throw new EmbedError(
      'SOURCE_INVALID',
      `src="${src}" could not be fetched (${error instanceof Error ? error.message : String(error)}); check the URL, and that the server allows this page to read it`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `src="${src}" answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}; check the path to the index or corpus file`,
    );
  }
  const text = await response.text();
  return parseSourceText(text, src);
}
