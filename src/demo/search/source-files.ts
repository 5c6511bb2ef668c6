/**
 * A user's file or pasted text → the SourceTexts the index stores. Pure: the page reads the
 * file (File.text()) and, for HTML, passes its own DOMParser-based `htmlToText`, because this
 * folder compiles for the worker too, where there is no DOM.
 */
import { EmbedError } from '../../core/errors.ts';
import type { SourceText } from '../../protocol/search-data.ts';

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
 * // [{ id: 'file:faq.jsonl#q1', name: 'Login', … }, { id: 'file:faq.jsonl#2', name: 'faq.jsonl:2', … }]
 * // throws SOURCE_INVALID: unsupported extension, a bad JSON line ('faq.jsonl:3: …'), an item without text
 */
export function sourcesFromFile(file: FileContent, options: SourceFileOptions = {}): SourceText[] {
  const ext = extensionOf(file.name);
  let sources: SourceText[];
  switch (ext) {
    case '.txt':
    case '.md':
      sources = [{ id: `file:${file.name}`, name: file.name, text: file.text }];
      break;
    case '.html':
    case '.htm': {
      if (!options.htmlToText) {
        throw new EmbedError(
          'SOURCE_INVALID',
          `${file.name}: HTML needs an htmlToText converter; pass one (the page uses DOMParser), or save the file as .txt`,
        );
      }
      sources = [{ id: `file:${file.name}`, name: file.name, text: options.htmlToText(file.text) }];
      break;
    }
    case '.json':
      sources = jsonSources(file);
      break;
    case '.jsonl':
      sources = jsonlSources(file);
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

const ITEM_RULE =
  'a string, or an object with a non-empty string "text" and optional string/number "id" and string "title"';

function jsonSources(file: FileContent): SourceText[] {
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (error) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${file.name} is not valid JSON (${errorText(error)}); expected an array of items (${ITEM_RULE}) or one object with "text"`,
    );
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0)
    throw new EmbedError('SOURCE_INVALID', `${file.name} is an empty array: add at least one item (${ITEM_RULE})`);
  const multiple = Array.isArray(value);
  return unique(
    file.name,
    items.map((item: unknown, i) =>
      itemSource(file.name, item, multiple ? `${file.name}[${i}]` : file.name, multiple ? String(i) : undefined),
    ),
  );
}

function jsonlSources(file: FileContent): SourceText[] {
  const sources: SourceText[] = [];
  file.text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return; // blank lines (a final newline, spacing) carry nothing
    const where = `${file.name}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new EmbedError(
        'SOURCE_INVALID',
        `${where} is not valid JSON (${errorText(error)}); each line must be ${ITEM_RULE}`,
      );
    }
    sources.push(itemSource(file.name, value, where, String(i + 1)));
  });
  if (sources.length === 0)
    throw new EmbedError('SOURCE_INVALID', `${file.name} has no lines: add one item per line (${ITEM_RULE})`);
  return unique(file.name, sources);
}

/** One JSON item; `fallbackId` numbers items without an id (undefined: a lone object, id = the file). */
function itemSource(fileName: string, item: unknown, where: string, fallbackId: string | undefined): SourceText {
  const base = `file:${fileName}`;
  if (typeof item === 'string')
    return { id: fallbackId === undefined ? base : `${base}#${fallbackId}`, name: where, text: item };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}; each item must be ${ITEM_RULE}`,
    );
  }
  const text = 'text' in item ? item.text : undefined;
  const id = 'id' in item ? item.id : undefined;
  const title = 'title' in item ? item.title : undefined;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} has no "text" string (or it is blank); each item must be ${ITEM_RULE}`,
    );
  }
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} has an "id" that is neither a string nor a number; each item must be ${ITEM_RULE}`,
    );
  }
  if (title !== undefined && typeof title !== 'string') {
    throw new EmbedError(
      'SOURCE_INVALID',
      `${where} has a "title" that is not a string; each item must be ${ITEM_RULE}`,
    );
  }
  const own = id === undefined ? fallbackId : String(id);
  return { id: own === undefined ? base : `${base}#${own}`, name: title ?? where, text };
}

/** Two items with one id would silently replace each other in the store (addSources replaces by id). */
function unique(fileName: string, sources: SourceText[]): SourceText[] {
  const seen = new Map<string, string>();
  for (const source of sources) {
    const first = seen.get(source.id);
    if (first !== undefined)
      throw new EmbedError(
        'SOURCE_INVALID',
        `${fileName}: ${source.name} repeats the id of ${first} (${source.id}); give every item its own "id"`,
      );
    seen.set(source.id, source.name);
  }
  return sources;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
