/**
 * The text a reader sees in an HTML file: DOMParser builds an inert document (no scripts run,
 * nothing loads), scripts/styles/templates are dropped, and block elements end lines so
 * paragraphs do not run together.
 */
const DROPPED = 'script, style, noscript, template, svg, head';
const BLOCKS = 'p, div, li, h1, h2, h3, h4, h5, h6, br, tr, section, article, blockquote, pre';

export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const element of doc.querySelectorAll(DROPPED)) element.remove();
  for (const element of doc.querySelectorAll(BLOCKS)) element.append('\n');
  return (doc.body.textContent ?? '')
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n\n')
    .trim();
}
