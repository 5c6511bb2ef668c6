/**
 * Site search results grouped under their page: `tabembed index --site` items (page url with a
 * #fragment, the page's title, the heading trail as the text's first line) of one page become a
 * page entry with its sections; other results stay as they are, in the order of each page's best hit.
 */
import { describe, expect, it } from 'vitest';
import type { SemanticSearchResult } from '../../src/widget/item-index.ts';
import { flatRows, groupResults, pageOf } from '../../src/widget/result-groups.ts';

const hit = (
  url: string | undefined,
  title: string | undefined,
  text: string,
  score: number,
): SemanticSearchResult => ({
  id: url ?? text,
  url,
  title,
  text,
  score,
  match: 'keyword',
});

describe('groupResults', () => {
  it('puts the sections of one page under one page entry, pages in the order of their best hit', () => {
    const results = [
      hit('/docs/install/#npm', 'Install', 'Install › From npm\nRun npm i tabembed.', 3),
      hit('/blog/', 'Blog', 'News.', 2),
      hit('/docs/install/#cdn', 'Install', 'Install › From a CDN\nUse the script tag.', 1),
    ];
    const groups = groupResults(results);
    expect(groups.map((g) => g.page)).toEqual(['/docs/install/', '/blog/']);
    const [install, blog] = groups;
    expect(install?.rows.map((r) => [r.kind, r.result.url, r.heading, r.excerpt])).toEqual([
      ['page', '/docs/install/', undefined, ''],
      ['section', '/docs/install/#npm', 'From npm', 'Run npm i tabembed.'],
      ['section', '/docs/install/#cdn', 'From a CDN', 'Use the script tag.'],
    ]);
    // The page entry links to the page itself and keeps the best hit's score and title.
    expect(install?.rows[0]?.result).toMatchObject({ id: '/docs/install/', title: 'Install', score: 3 });
    expect(blog?.rows.map((r) => [r.kind, r.result.url, r.heading, r.excerpt])).toEqual([
      ['result', '/blog/', undefined, 'News.'],
    ]);
    expect(flatRows(groups)).toHaveLength(4);
  });

  it("uses the page's own item as its entry when the page itself was hit", () => {
    const groups = groupResults([hit('/a/#x', 'A', 'X\nx text', 2), hit('/a/', 'A', 'The intro of A.', 1)]);
    expect(groups[0]?.rows.map((r) => [r.kind, r.result.url, r.excerpt])).toEqual([
      ['page', '/a/', 'The intro of A.'],
      ['section', '/a/#x', 'x text'],
    ]);
  });

  it('leaves alone results without a url, and #fragment items of different titles (topics of one page)', () => {
    const groups = groupResults([
      hit('#tea', 'Green tea', 'Brew green tea at 80 °C.', 2),
      hit('#bread', 'Sourdough', 'Sourdough bread needs a starter.', 1),
      hit(undefined, undefined, 'File your tax return.', 0.5),
      hit(undefined, undefined, 'Another text.', 0.4),
    ]);
    expect(groups.map((g) => g.rows.map((r) => r.kind))).toEqual([['result'], ['result'], ['result'], ['result']]);
    // One line of text, or no fragment: nothing is read as a heading.
    expect(groups[0]?.rows[0]?.heading).toBeUndefined();
    expect(groups[0]?.rows[0]?.excerpt).toBe('Brew green tea at 80 °C.');
  });

  it('pageOf drops the fragment only', () => {
    expect(pageOf('/a/b?c=1#d')).toBe('/a/b?c=1');
    expect(pageOf('/a/')).toBe('/a/');
    expect(pageOf('#x')).toBe('');
  });
});
