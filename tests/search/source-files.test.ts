/** A user's files become SourceTexts, and a file the index cannot read is refused with the place and the rule. */
import { describe, expect, it } from 'vitest';
import { pastedSource, sourcesFromFile } from '../../src/demo/search/source-files.ts';

describe('sourcesFromFile', () => {
  it('reads .txt and .md as one raw source named after the file', () => {
    expect(sourcesFromFile({ name: 'notes.md', text: '# Title\n\nBody' })).toEqual([
      { id: 'file:notes.md', name: 'notes.md', text: '# Title\n\nBody' },
    ]);
    expect(sourcesFromFile({ name: 'A.TXT', text: 'upper-case extension' })).toEqual([
      { id: 'file:A.TXT', name: 'A.TXT', text: 'upper-case extension' },
    ]);
  });

  it('reads a .json array of strings and of objects with text, id and title', () => {
    const text = JSON.stringify(['first', { text: 'second', id: 'q2', title: 'Login help' }, { text: 'third', id: 7 }]);
    expect(sourcesFromFile({ name: 'faq.json', text })).toEqual([
      { id: 'file:faq.json#0', name: 'faq.json[0]', text: 'first' },
      { id: 'file:faq.json#q2', name: 'Login help', text: 'second' },
      { id: 'file:faq.json#7', name: 'faq.json[2]', text: 'third' },
    ]);
  });

  it('reads a .json single object with text as one source', () => {
    expect(sourcesFromFile({ name: 'doc.json', text: '{"text":"only one","title":"Doc"}' })).toEqual([
      { id: 'file:doc.json', name: 'Doc', text: 'only one' },
    ]);
  });

  it('reads .jsonl line by line, skipping blank lines, numbering the items without id, naming them by line', () => {
    const text = '"plain"\r\n\n{"text":"with id","id":"a"}\n{"text":"third line","title":"T"}\n';
    expect(sourcesFromFile({ name: 'c.jsonl', text })).toEqual([
      { id: 'file:c.jsonl#0', name: 'c.jsonl:1', text: 'plain' },
      { id: 'file:c.jsonl#a', name: 'c.jsonl:3', text: 'with id' },
      { id: 'file:c.jsonl#2', name: 'T', text: 'third line' },
    ]);
  });

  it('drops a byte-order mark at the start of any file', () => {
    expect(sourcesFromFile({ name: 'n.md', text: '\uFEFF# Notes' })).toEqual([
      { id: 'file:n.md', name: 'n.md', text: '# Notes' },
    ]);
    expect(sourcesFromFile({ name: 'a.json', text: '\uFEFF["one"]' })).toEqual([
      { id: 'file:a.json#0', name: 'a.json[0]', text: 'one' },
    ]);
  });

  it('turns HTML into text with the injected converter', () => {
    const htmlToText = (html: string): string => html.replace(/<[^>]*>/g, '');
    expect(sourcesFromFile({ name: 'p.html', text: '<p>Hello <b>there</b></p>' }, { htmlToText })).toEqual([
      { id: 'file:p.html', name: 'p.html', text: 'Hello there' },
    ]);
  });

  // Each file it refuses is a case of the bad-input matrix (tests/reliability/cases-files.ts); each
  // refused JSONL line, of tests/search/json-lines.test.ts.
});

describe('pastedSource', () => {
  it('numbers pasted texts and refuses blank ones', () => {
    expect(pastedSource('Le chat dort.', 2)).toEqual({ id: 'paste:2', name: 'Pasted text 2', text: 'Le chat dort.' });
    expect(() => pastedSource(' \n', 3)).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/^Pasted text 3 has no text/) }),
    );
  });
});
