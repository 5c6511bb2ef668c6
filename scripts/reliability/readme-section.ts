/**
 * The README's generated sections: the text between `<!-- reliability:NAME:start -->` and
 * `<!-- reliability:NAME:end -->`. Written by `npm run reliability` (bad inputs) and by the
 * Playwright reliability reporter (faults); checked, never hand-edited.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const README = resolve(import.meta.dirname, '../../README.md');

export type SectionName = 'bad-inputs' | 'faults';

function markers(name: SectionName): { start: string; end: string } {
  return { start: `<!-- reliability:${name}:start -->`, end: `<!-- reliability:${name}:end -->` };
}

/** Where the section's body lies in `readme`; throws when its markers are missing or out of order. */
function bounds(readme: string, name: SectionName): { from: number; to: number } {
  const { start, end } = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from)
    throw new Error(`README.md has no "${start}" … "${end}" pair; put both where the ${name} table belongs`);
  return { from: from + start.length, to };
}

/** The section's body as README.md holds it now, without the newlines next to its markers. */
export function readSection(readme: string, name: SectionName): string {
  const { from, to } = bounds(readme, name);
  return readme.slice(from, to).replace(/^\n/, '').replace(/\n$/, '');
}

/** `readme` with the section's body replaced by `body`. */
export function replaceSection(readme: string, name: SectionName, body: string): string {
  const { from, to } = bounds(readme, name);
  return `${readme.slice(0, from)}\n${body}\n${readme.slice(to)}`;
}

/** Writes `body` into the section of README.md (or of the file at `path`); says whether anything changed. */
export function writeSection(name: SectionName, body: string, path = README): boolean {
  const before = readFileSync(path, 'utf8');
  const after = replaceSection(before, name, body);
  if (after !== before) writeFileSync(path, after);
  return after !== before;
}

export function readReadmeSection(name: SectionName, path = README): string {
  return readSection(readFileSync(path, 'utf8'), name);
}

/** Text for a Markdown table cell as inline code: pipes escaped, newlines shown as ⏎, backticks fenced. */
export function codeCell(text: string): string {
  const flat = text.replaceAll('\r', '').replaceAll('\n', '⏎').replaceAll('|', '\\|');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

/** Plain text for a Markdown table cell. */
export function textCell(text: string): string {
  return text.replaceAll('\n', ' ').replaceAll('|', '\\|');
}
