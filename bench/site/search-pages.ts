/**
 * The two search pages the bench opens, written into the built site after both engines indexed
 * it (so neither index holds them): the site's page chrome with a search box in the header.
 *
 * - tabembed: `<semantic-search>` as a site owner adds it (dist/lib served at /tabembed/, the index
 *   at /search/); it sends a `results` event that bubbles to the document.
 * - Pagefind: an input calling Pagefind's JS API (`import('/pagefind/pagefind.js')`, `init()`,
 *   `search()`, the first five results' `data()`), which then sends the same `results` event.
 *
 * Both start loading at page load (the widget fetches its index head when connected; the Pagefind
 * page imports and inits at once), and both wait for a 200 ms pause in typing before they search:
 * the widget's TYPING_PAUSE_MS, copied on the Pagefind side so typing costs both the same.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageHtml } from './site-pages.ts';

export const TABEMBED_PAGE = '/bench-tabembed.html';
export const PAGEFIND_PAGE = '/bench-pagefind.html';

const WIDGET = `      <script type="module" src="/tabembed/widget.js"></script>
      <semantic-search src="/search/index.json" label="Search the notes" limit="5"></semantic-search>`;

const PAGEFIND = `      <input id="q" type="search" aria-label="Search the notes" autocomplete="off" />
      <ol id="results"></ol>
      <script type="module">
        // Loading starts at page load; keys typed before it is done wait for it.
        const ready = import('/pagefind/pagefind.js').then(async (pagefind) => {
          await pagefind.init();
          return pagefind;
        });
        const input = document.getElementById('q');
        const list = document.getElementById('results');
        let latest = 0;
        let timer;
        async function run(query) {
          const asked = ++latest;
          const pagefind = await ready;
          const search = await pagefind.search(query);
          const results = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
          if (asked !== latest) return;
          list.replaceChildren(...results.map((r) => Object.assign(document.createElement('li'), { textContent: r.meta.title })));
          input.dispatchEvent(new CustomEvent('results', { bubbles: true, detail: { query, results } }));
        }
        input.addEventListener('input', () => {
          clearTimeout(timer);
          timer = setTimeout(() => void run(input.value), 200);
        });
      </script>`;

export function writeSearchPages(site: string): void {
  const main = '      <h1>Search</h1>\n      <p>Type in the box above.</p>';
  writeFileSync(join(site, TABEMBED_PAGE), pageHtml('Search', main, WIDGET));
  writeFileSync(join(site, PAGEFIND_PAGE), pageHtml('Search', main, PAGEFIND));
}
