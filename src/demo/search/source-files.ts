/**
 * A user's file or pasted text → the SourceTexts the index stores. Pure: the page reads the
 * file (File.text()) and, for HTML, passes its own DOMParser-based `htmlToText`, because this
 * folder compiles for the worker too, where there is no DOM.
 */
import { EmbedError } from '../../core/errors.ts';
import type { SourceText } from '../../protocol/search-data.ts';
import { dropByteOrderMark, readJsonLines } from '../../search/json-lines.ts';
import { tryJson } from '../../search/json-value.ts';
import { checkItem, checkItems, ITEM_SHAPE, type TextItem } from '../../search/text-item.ts';

/** File name endings `sourcesFromFile` reads, lower case, with the dot. */
export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.json', '.jsonl', '.html', '.htm'] as const;

export interface FileContent {
  name: string;
  text: string;
}

export interface SourceFileOptions {
  /** Needed for .html/.htm: turns markup into the visible text (e.g. DOMParser + textContent). */
  htmlToText?: (html: string) => string;
}

/**
 * @example
 * sourcesFromFile({ name: 'notes.md', text: '# Title\n…' });
 * // [{ id: 'file:notes.md', name: 'notes.md', text: '# Title\n…' }]
 * sourcesFromFile({ name: 'faq.jsonl', text: '{"id":"q1","title":"Login","text":"…"}\n"plain line"' });
 * // [{ id: 'file:faq.jsonl#q1', name: 'Login', … }, { id: 'file:faq.jsonl#1', name: 'faq.jsonl:2', … }]
 * // throws SOURCE_INVALID: unsupported extension, a bad JSON line ('faq.jsonl:3: …'), an item without text
 * // (.json and .jsonl items follow the rule every reader shares: src/search/text-item.ts, json-lines.ts)
 */
export function sourcesFromFile(file: FileContent, options: SourceFileOptions = {}): SourceText[] {
  const ext = extensionOf(file.name);
  const text = dropByteOrderMark(file.text);
  let sources: SourceText[];
  switch (ext) {
    case '.txt':
    case '.md':
      sources = [{ id: `file:${file.name}`, name: file.name, text }];
      break;
    case '.html':
    case '.htm': {
      if (!options.htmlToText) {
        throw new EmbedError(
          'SOURCE_INVALID',
          `${file.name}: HTML needs an htmlToText converter; pass one (the page uses DOMParser), or save the file as .txt`,
        );
      }
      sources = [{ id: `file:${file.name}`, name: file.name, text: options.htmlToText(text) }];
      break;
    }
    case '.json':
      sources = jsonSources(file.name, text);
      break;
    case '.jsonl':
      sources = readJsonLines(text, file.name).map(sourceOf(file.name));
      break;
    default:
      throw new EmbedError(
        'SOURCE_INVALID',
        `${file.name}: unsupported file type ${ext === '' ? '(no extension)' : ext}; supported are ${SUPPORTED_EXTENSIONS.join(', ')}`,
      );
  }
  sources.forEach((source) => requireText(source.text, source.name));
  return sources;
}

/**
 * A pasted text as the n-th paste.
 *
 * @example
 * pastedSource('Le chat dort.', 2); // { id: 'paste:2', name: 'Pasted text 2', text: 'Le chat dort.' }
 */
export function pastedSource(text: string, n: number): SourceText {
  const name = `Pasted text ${n}`;
  requireText(text, name);
  return { id: `paste:${n}`, name, text };
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function requireText(text: string, where: string): void {
  if (text.trim() === '')
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} has no text (empty or only whitespace): nothing to index; remove it or add text`,
    );
}

/**
 * A .json file: an array of items (ids default to their index), or one item (its id is the file).
 * The items' rule is the one every reader shares (`src/search/text-item.ts`).
 */
function jsonSources(name: string, text: string): SourceText[] {
  const parsed = tryJson(text);
  if (!parsed.ok) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${name} is not valid JSON (${parsed.reason}); expected an array of items, or one item: ${ITEM_SHAPE}`,
    );
  }
  if (Array.isArray(parsed.value)) return checkItems(parsed.value, name, (i) => `${name}[${i}]`).map(sourceOf(name));
  const { ownId, title, text: itemText } = checkItem(parsed.value, { where: name, position: 0, unit: 'item' });
  const id = ownId === undefined ? `file:${name}` : `file:${name}#${ownId}`;
  return [{ id, name: title ?? name, text: itemText }];
}

/** One item of a file → a source named by its title, else by where it stood (`faq.jsonl:3`, `faq.json[2]`). */
function sourceOf(fileName: string): (item: TextItem) => SourceText {
  return ({ id, title, where, text }) => ({ id: `file:${fileName}#${id}`, name: title ?? where, text });
}
