/**
 * A synthetic built site: N pages as a static site generator writes them (a head with a title,
 * a header with nav, a `<main>` with an h1 and h2 sections with ids, a footer), their texts from
 * the seeded bench corpus (bench/corpus.ts), so the same N always gives the same site.
 *
 * Every page declares `lang="en"` although some passages are in other languages: Pagefind keeps
 * one index per declared language and searches only the page's own, so one declared language
 * gives both engines the same pages to search.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus } from '../corpus.ts';

/** Sections under the h1 of each page (the h1's own text is a section too, for tabembed). */
const H2_PER_PAGE = 2;

/** The five queries both engines are asked: English words the corpus' word list holds, so every query has hits. */
export const SITE_QUERIES = ['mountain river', 'garden winter', 'library music', 'history science', 'energy policy'];

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const paragraphs = (text: string): string =>
  text
    .split(/\n\n+/)
    .map((p) => `      <p>${escape(p)}</p>`)
    .join('\n');

/** The page chrome every page shares; `search` goes into the header (the bench pages' search box). */
export function pageHtml(title: string, main: string, search = ''): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escape(title)} · Field notes</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <header>
      <a href="/">Field notes</a>
      <nav><a href="/">Home</a> <a href="/p/00000/">First page</a> <a href="/about/">About</a></nav>
${search}
    </header>
    <main data-pagefind-body>
${main}
    </main>
    <footer><p>© Field notes. Built by a static site generator.</p></footer>
  </body>
</html>
`;
}

/** Writes `pages` pages to `dir/p/NNNNN/index.html`; returns the number of sections (h1 + h2s) written. */
export function writeSite(dir: string, pages: number): number {
  const per = 2 + H2_PER_PAGE; // a title, the h1's text, then one text per h2 (its heading is the text's first words)
  const texts = buildCorpus({ count: pages * per, seed: 20261206, maxTokens: 384 }).map((t) => t.text);
  const words = (text: string, n: number): string =>
    text
      .replace(/\s+/g, ' ')
      .split(' ')
      .slice(0, n)
      .join(' ')
      .replace(/[.,，。]+$/, '');
  for (let p = 0; p < pages; p++) {
    const t = texts.slice(p * per, (p + 1) * per);
    const title = words(t[0] ?? '', 6) || `Page ${p}`;
    const sections = t.slice(2).map((text, s) => {
      const heading = words(text, 4) || `Part ${s + 1}`;
      return `      <h2 id="part-${s + 1}">${escape(heading)}</h2>\n${paragraphs(text)}`;
    });
    const main = `      <h1>${escape(title)}</h1>\n${paragraphs(t[1] ?? '')}\n${sections.join('\n')}`;
    const folder = join(dir, 'p', String(p).padStart(5, '0'));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.html'), pageHtml(title, main));
  }
  return pages * (1 + H2_PER_PAGE);
}
