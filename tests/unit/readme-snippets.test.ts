/**
 * The README's usage examples are copied from pages the e2e specs load; a block marked
 * `<!-- snippet: path -->` must appear in that file line for line (indentation aside), so an
 * example that drifts from the tested page fails here instead of misleading a reader.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const MARKED_BLOCK = /<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g;

const snippets = [...README.matchAll(MARKED_BLOCK)].map((match) => ({ file: match[1] ?? '', code: match[2] ?? '' }));
const lines = (text: string): string[] => text.split('\n').map((line) => line.trim());

/** Whether `needle`'s lines occur consecutively in `haystack`'s. */
function containsLines(haystack: string[], needle: string[]): boolean {
  return haystack.some((_, start) => needle.every((line, i) => haystack[start + i] === line));
}

describe('README snippets', () => {
  it('are marked (the README has some to check)', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(1);
  });

  it.each(snippets)('the block marked $file is a passage of that file', ({ file, code }) => {
    const source = lines(readFileSync(resolve(ROOT, file), 'utf8'));
    expect(containsLines(source, lines(code))).toBe(true);
  });
});
