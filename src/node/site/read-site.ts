/**
 * `tabembed index --site <folder>`: every HTML page of a built site → one search item per
 * section (page-sections.ts), each linking to its page, or to `page#heading-id` below the first
 * heading. Pages are read in path order, so the same site always gives the same index.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { EmbedError } from '../../core/errors.ts';
import type { SearchItem } from '../../search/corpus-file.ts';
import { pageSections } from './page-sections.ts';

/**
 * @example
 * await readSite('public/', '/docs/');
 * // [{ id: '/docs/install/', url: '/docs/install/', title: 'Install', headings: [], text: 'How to…' },
 * //  { id: '/docs/install/#npm', url: '/docs/install/#npm', title: 'Install', headings: ['From npm'], text: 'From npm\nRun…' }, …]
 * // Throws EmbedError SOURCE_INVALID: not a folder, or no section in any page.
 */
export async function readSite(folder: string, baseUrl = '/'): Promise<SearchItem[]> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory())
    throw new EmbedError('SOURCE_INVALID', `--site ${folder}: not a folder; give the folder your site was built into`);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const items: SearchItem[] = [];
  const taken = new Set<string>();
  for (const file of await htmlFiles(folder)) {
    const page = pageUrl(base, relative(folder, file));
    const { title, sections } = pageSections(await readFile(file, 'utf8'));
    for (const section of sections) {
      const url = section.anchor ? `${page}#${encodeURIComponent(section.anchor)}` : page;
      items.push({
        id: unique(url, taken),
        url,
        ...(title ? { title } : {}),
        headings: section.headings,
        // The heading trail leads the text: it says what the section is about, to the model and to BM25.
        text: [section.headings.join(' › '), section.text].filter(Boolean).join('\n'),
      });
    }
  }
  if (items.length === 0)
    throw new EmbedError(
      'SOURCE_INVALID',
      `--site ${folder}: no page with text (looked for *.html; pages or parts marked data-tabembed-ignore are skipped)`,
    );
  return items;
}

/** `docs/install/index.html` → `/docs/install/`; `about.html` → `/about.html` (as a static host serves them). */
export function pageUrl(base: string, path: string): string {
  const parts = path.split(sep).map(encodeURIComponent);
  if (parts.at(-1) === 'index.html') parts[parts.length - 1] = '';
  return base + parts.join('/');
}

async function htmlFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.html?$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Two sections with one anchor (or none, twice on one page) get `~2`, `~3`… so every id stays unique. */
function unique(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}~${n}`;
  taken.add(candidate);
  return candidate;
}
