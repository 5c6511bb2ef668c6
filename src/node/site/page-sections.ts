/**
 * One built HTML page → its title and its sections, cut at headings, as a site search shows
 * them: a result per section, linking to `page#heading-id`. What counts as the page's content:
 *  - the first element marked `data-tabembed-body`, else `<main>`, else `<body>`;
 *  - minus navigation and chrome (`nav`, `header`, `footer`), what never reads as text (`script`,
 *    `style`, `noscript`, `template`, `svg`), and anything marked `data-tabembed-ignore`;
 *  - a page whose `<html>` or `<body>` carries `data-tabembed-ignore` gives no sections at all.
 * The rules follow Pagefind's (`data-pagefind-body`, `data-pagefind-ignore`), which site owners know.
 */
import { parseDocument } from 'htmlparser2';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { findOne, getAttributeValue, hasAttrib, textContent } from 'domutils';

export interface PageSection {
  /** The heading's text; absent for the text before the first heading. */
  heading?: string;
  /** The heading's `id` (or that of an element inside it), for a `#fragment` link. */
  anchor?: string;
  /** Every heading above this one and this one, outermost first: `['Install', 'From npm']`. */
  headings: string[];
  text: string;
}

export interface PageContent {
  title: string | undefined;
  sections: PageSection[];
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'header', 'footer', 'head']);
const HEADING = /^h([1-6])$/;
/** Elements that end a line, so paragraphs, items and cells do not run together. */
const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'br',
  'tr',
  'td',
  'th',
  'section',
  'article',
  'blockquote',
  'pre',
  'dt',
  'dd',
  'figcaption',
  'table',
  'ul',
  'ol',
]);
const IGNORE = 'data-tabembed-ignore';

export function pageSections(html: string): PageContent {
  const doc = parseDocument(html);
  const find = (test: (e: Element) => boolean): Element | null => findOne(test, doc.children, true);
  const title = squash(textContent(find((e) => e.name === 'title') ?? [])) || undefined;
  const root = find((e) => e.name === 'html');
  const body = find((e) => e.name === 'body');
  if ((root && hasAttrib(root, IGNORE)) || (body && hasAttrib(body, IGNORE))) return { title, sections: [] };
  const content = find((e) => hasAttrib(e, 'data-tabembed-body')) ?? find((e) => e.name === 'main') ?? body;
  const sections: PageSection[] = [];
  const trail: { level: number; text: string }[] = [];
  let current: PageSection = { headings: [], text: '' };
  const finish = (): void => {
    const text = squash(current.text);
    if (text || current.heading) sections.push({ ...current, text });
  };
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (isText(node)) current.text += node.data;
      if (!isTag(node) || SKIPPED.has(node.name) || hasAttrib(node, IGNORE)) continue;
      const level = HEADING.exec(node.name)?.[1];
      if (level) {
        finish();
        const heading = squash(textContent(node));
        while ((trail.at(-1)?.level ?? 0) >= Number(level)) trail.pop();
        trail.push({ level: Number(level), text: heading });
        const anchor = idOf(node);
        current = { heading, ...(anchor ? { anchor } : {}), headings: trail.map((h) => h.text), text: '' };
        continue;
      }
      walk(node.children);
      if (BLOCKS.has(node.name)) current.text += '\n';
    }
  };
  walk(content ? content.children : doc.children);
  finish();
  return { title: title ?? sections.find((s) => s.heading)?.heading, sections };
}

/** The heading's own id, else the first id inside it (`<h2><a id="x">…`). */
function idOf(heading: Element): string | undefined {
  const own = getAttributeValue(heading, 'id');
  if (own) return own;
  const inner = findOne((e) => Boolean(getAttributeValue(e, 'id')), heading.children, true);
  return inner ? getAttributeValue(inner, 'id') : undefined;
}

/** Runs of spaces to one, line breaks kept once, blank lines collapsed, ends trimmed. */
function squash(text: string): string {
  return text
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}
