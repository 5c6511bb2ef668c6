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

  it('names file:line and the rule for a bad .jsonl line (every rule: json-lines.test.ts)', () => {
    expect(() => sourcesFromFile({ name: 'c.jsonl', text: '"ok"\n{broken' })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/^c\.jsonl:2: not JSON .*; each line must be a non-empty string, or \{ "id"\?/),
      }),
    );
  });

  it('drops a byte-order mark at the start of any file', () => {
    expect(sourcesFromFile({ name: 'n.md', text: '\uFEFF# Notes' })).toEqual([
      { id: 'file:n.md', name: 'n.md', text: '# Notes' },
    ]);
    expect(sourcesFromFile({ name: 'a.json', text: '\uFEFF["one"]' })).toEqual([
      { id: 'file:a.json#0', name: 'a.json[0]', text: 'one' },
    ]);
  });

  it('refuses a .json that does not parse, an empty array, a bad item and two items with one id', () => {
    expect(() => sourcesFromFile({ name: 'x.json', text: '[1,' })).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/^x\.json is not valid JSON/) }),
    );
    expect(() => sourcesFromFile({ name: 'x.json', text: '[]' })).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/^x\.json holds no items/) }),
    );
    expect(() => sourcesFromFile({ name: 'x.json', text: '["a", {"text":"b","id":false}]' })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(
          /^x\.json\[1\]: "id" is boolean false, .*; each item must be a non-empty string/,
        ),
      }),
    );
    expect(() => sourcesFromFile({ name: 'x.json', text: '42' })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/^x\.json: expected a string or an object, got number 42/),
      }),
    );
    expect(() => sourcesFromFile({ name: 'x.json', text: '[{"text":"a","id":"d"},{"text":"b","id":"d"}]' })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/^x\.json\[1\]: id "d" is already used by x\.json\[0\]/),
      }),
    );
  });

  it('turns HTML into text with the injected converter, and asks for one when it is missing', () => {
    const htmlToText = (html: string): string => html.replace(/<[^>]*>/g, '');
    expect(sourcesFromFile({ name: 'p.html', text: '<p>Hello <b>there</b></p>' }, { htmlToText })).toEqual([
      { id: 'file:p.html', name: 'p.html', text: 'Hello there' },
    ]);
    expect(() => sourcesFromFile({ name: 'p.htm', text: '<p>x</p>' })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringMatching(/p\.htm: HTML needs an htmlToText converter/),
      }),
    );
    expect(() => sourcesFromFile({ name: 'blank.html', text: '<p> </p>' }, { htmlToText })).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/blank\.html has no text/) }),
    );
  });

  it('lists the supported types for any other extension', () => {
    const message =
      /report\.pdf: unsupported file type \.pdf; supported are \.txt, \.md, \.json, \.jsonl, \.html, \.htm/;
    expect(() => sourcesFromFile({ name: 'report.pdf', text: '%PDF' })).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(message) }),
    );
    expect(() => sourcesFromFile({ name: 'README', text: 'x' })).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/\(no extension\)/) }),
    );
  });
});

describe('pastedSource', () => {
  it('numbers pasted texts and refuses blank ones', () => {
    expect(pastedSource('Le chat dort.', 2)).toEqual({ id: 'paste:2', name: 'Pasted text 2', text: 'Le chat dort.' });
    expect(() => pastedSource(' \n', 3)).toThrow(
      expect.objectContaining({ code: 'SOURCE_INVALID', message: expect.stringMatching(/^Pasted text 3 has no text/) }),
    );
  });
});
