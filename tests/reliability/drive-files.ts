/**
 * The drivers of the two file readers, both pure: the widget's `src` (`parseSourceText`) and the
 * search page's files (`sourcesFromFile`). After each case a good file must read as before.
 */
import { EmbedError } from '../../src/core/errors.ts';
import { sourcesFromFile } from '../../src/demo/search/source-files.ts';
import { parseSourceText, serializeIndex } from '../../src/search/index-file.ts';
import type { BadInput, Observation } from './bad-input.ts';
import { GOOD_INDEX } from './cases-files.ts';

/** The search page's converter, as DOMParser + textContent would do for these small files. */
const htmlToText = (html: string): string => html.replace(/<[^>]*>/g, '');

export function driveWidgetSrc(bad: Extract<BadInput, { surface: 'widget-src' }>): Observation {
  return read(
    () => parseSourceText(bad.text, bad.name),
    () => {
      const good = parseSourceText(serializeIndex(GOOD_INDEX), 'index.json');
      return good.kind === 'index' && JSON.stringify(good.index.items) === JSON.stringify(GOOD_INDEX.items);
    },
  );
}

export function driveSearchFile(bad: Extract<BadInput, { surface: 'search-files' }>): Observation {
  return read(
    () => sourcesFromFile({ name: bad.name, text: bad.text }, bad.html ? { htmlToText } : {}),
    () => {
      const [good] = sourcesFromFile({ name: 'notes.md', text: '# Title' });
      return good?.id === 'file:notes.md' && good.text === '# Title';
    },
  );
}

function read(bad: () => unknown, good: () => boolean): Observation {
  const afterwards = (): Observation['afterwards'] =>
    good() ? { ok: true, what: 'next file: read' } : { ok: false, what: 'a good file no longer reads right' };
  try {
    bad();
    return { outcome: { accepted: true }, message: 'read', resultProblems: [], afterwards: afterwards() };
  } catch (error) {
    const outcome =
      error instanceof EmbedError ? { refused: error.code, item: error.index } : { refused: 'uncoded error' };
    const message = error instanceof Error ? error.message : String(error);
    return { outcome, message, resultProblems: [], afterwards: afterwards() };
  }
}
