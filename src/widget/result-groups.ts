/**
 * Results grouped under their page, as site search shows them (Pagefind's sub-results,
 * DocSearch's hierarchy): `tabembed index --site` writes one item per section of a page, each
 * with the page's url plus a `#fragment`, the page's title, and the section's heading trail as
 * the text's first line (src/node/site/read-site.ts). Hits of one page become one page entry
 * and the sections under it; the page order is that of each page's best hit. Pure.
 */
import type { SemanticSearchResult } from './item-index.ts';

/** One option of the list: a page alone, a page heading its sections, or one of those sections. */
export interface ResultRow {
  kind: 'result' | 'page' | 'section';
  /** What choosing the row selects: the hit itself, or (a page entry without a hit of its own) the page. */
  result: SemanticSearchResult;
  /** A section's heading (the last of its trail), shown above its excerpt. */
  heading: string | undefined;
  /** The text shown as the excerpt: the hit's text without its heading line. */
  excerpt: string;
}

/** Rows of one page: `page` first, then its sections (none when the page had one hit). */
export interface ResultGroup {
  page: string;
  rows: ResultRow[];
}

/**
 * @example
 * groupResults([
 *   { id: '/a/#x', url: '/a/#x', title: 'A', text: 'Install › X\nRun it', score: 3, match: 'keyword' },
 *   { id: '/b/', url: '/b/', title: 'B', text: 'Intro', score: 2, match: 'keyword' },
 *   { id: '/a/#y', url: '/a/#y', title: 'A', text: 'Install › Y\nOr this', score: 1, match: 'keyword' },
 * ]);
 * // [{ page: '/a/', rows: [{ kind: 'page', result: { id: '/a/', url: '/a/', title: 'A', … } …},
 * //                        { kind: 'section', heading: 'X', excerpt: 'Run it' …}, { kind: 'section', heading: 'Y' …}] },
 * //  { page: '/b/', rows: [{ kind: 'result', heading: undefined, excerpt: 'Intro' …}] }]
 */
export function groupResults(results: readonly SemanticSearchResult[]): ResultGroup[] {
  const groups = new Map<string, SemanticSearchResult[]>();
  for (const result of results) {
    // A page is its url and its title: `--site` gives every section of a page both. Results
    // without a url stand alone; so do `#a`, `#b` items of different titles (one page's topics).
    const key = result.url === undefined ? `id:${result.id}` : JSON.stringify([pageOf(result.url), result.title]);
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((hits) => {
    const [best] = hits;
    if (!best) throw new Error('unreachable: a group without a hit');
    const page = best.url === undefined ? best.id : pageOf(best.url);
    if (hits.length === 1) return { page, rows: [row('result', best)] };
    // The page's own item (its text before the first heading) heads the group when it was hit too.
    const own = hits.find((hit) => hit.url === page);
    const head: SemanticSearchResult = own ?? { ...best, id: page, url: page, text: '' };
    return {
      page,
      rows: [
        { kind: 'page', result: head, heading: undefined, excerpt: own ? row('page', own).excerpt : '' },
        ...hits.filter((hit) => hit !== own).map((hit) => row('section', hit)),
      ],
    };
  });
}

/** The rows of every group, in order: what the listbox's options are, one for one. */
export function flatRows(groups: readonly ResultGroup[]): ResultRow[] {
  return groups.flatMap((group) => group.rows);
}

/** A url without its fragment: the page a section is on. */
export function pageOf(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function row(kind: ResultRow['kind'], result: SemanticSearchResult): ResultRow {
  const { heading, excerpt } = splitHeading(result);
  return { kind, result, heading, excerpt };
}

/**
 * A site section's text starts with its heading trail on a line of its own ("Install › From npm");
 * only an item with a `#fragment` url is read so, as only `--site` writes such items with a trail.
 */
function splitHeading(result: SemanticSearchResult): { heading: string | undefined; excerpt: string } {
  const newline = result.text.indexOf('\n');
  if (result.url === undefined || !result.url.includes('#') || newline < 0)
    return { heading: undefined, excerpt: result.text };
  const trail = result.text.slice(0, newline).split(' › ');
  return { heading: trail.at(-1)?.trim() || undefined, excerpt: result.text.slice(newline + 1) };
}
