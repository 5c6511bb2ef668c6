import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const LANGS = ['en', 'fr', 'de', 'es', 'zh', 'ja', 'pt', 'it'] as const;
const TOPICS = [
  'astronomy',
  'cooking',
  'gardening',
  'history',
  'programming',
  'health',
  'travel',
  'music',
  'sport',
  'finance',
  'biology',
  'geography',
  'law',
  'art',
  'climate',
  'transport',
  'language learning',
  'home repair',
  'pets',
  'mathematics',
] as const;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface Passage {
  id: string;
  title: string;
  lang: string;
  topic: string;
  text: string;
}
interface Query {
  query: string;
  lang: string;
  relevant: string[];
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../src/demo/sample-corpus/${name}`, import.meta.url), 'utf8')) as T;
}

const passages = load<Passage[]>('passages.json');
const queries = load<Query[]>('queries.json');

const isCjk = (lang: string): boolean => lang === 'zh' || lang === 'ja';
/** Words (tokens holding a letter or digit) for space-separated languages; non-space characters for zh/ja. */
function size(p: Passage): number {
  if (isCjk(p.lang)) return Array.from(p.text.replace(/\s/g, '')).length;
  return p.text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
function countBy(key: 'lang' | 'topic'): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of passages) m.set(p[key], (m.get(p[key]) ?? 0) + 1);
  return m;
}

describe('the sample corpus', () => {
  it('holds at least 300 passages', () => {
    expect(passages.length).toBeGreaterThanOrEqual(300);
  });

  it('gives every passage a unique kebab-case id', () => {
    expect(passages.filter((p) => !KEBAB.test(p.id)).map((p) => p.id)).toEqual([]);
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });

  it('gives every passage a non-empty title and text', () => {
    expect(passages.filter((p) => !p.title.trim() || !p.text.trim()).map((p) => p.id)).toEqual([]);
  });

  it('uses only the allowed languages and topics', () => {
    expect(passages.filter((p) => !(LANGS as readonly string[]).includes(p.lang)).map((p) => p.id)).toEqual([]);
    expect(passages.filter((p) => !(TOPICS as readonly string[]).includes(p.topic)).map((p) => p.id)).toEqual([]);
  });

  it('is about half English', () => {
    const share = (countBy('lang').get('en') ?? 0) / passages.length;
    expect(share).toBeGreaterThanOrEqual(0.4);
    expect(share).toBeLessThanOrEqual(0.6);
  });

  it('has at least 40 Chinese passages and at least 15 in each other non-English language', () => {
    const langs = countBy('lang');
    expect(langs.get('zh') ?? 0).toBeGreaterThanOrEqual(40);
    for (const lang of ['fr', 'de', 'es', 'ja', 'pt', 'it'])
      expect(langs.get(lang) ?? 0, lang).toBeGreaterThanOrEqual(15);
  });

  it('covers every topic roughly evenly', () => {
    const topics = countBy('topic');
    for (const topic of TOPICS) expect(topics.get(topic) ?? 0, topic).toBeGreaterThanOrEqual(10);
  });

  it('keeps space-separated passages between 30 and 120 words', () => {
    const off = passages.filter((p) => !isCjk(p.lang) && (size(p) < 30 || size(p) > 120));
    expect(off.map((p) => `${p.id}: ${size(p)}`)).toEqual([]);
  });

  it('keeps Chinese and Japanese passages between 60 and 250 characters', () => {
    const off = passages.filter((p) => isCjk(p.lang) && (size(p) < 60 || size(p) > 250));
    expect(off.map((p) => `${p.id}: ${size(p)}`)).toEqual([]);
  });

  it('labels scripts consistently: Japanese passages contain kana, Chinese ones none', () => {
    const kana = /[\u3040-\u30ff]/;
    expect(passages.filter((p) => p.lang === 'ja' && !kana.test(p.text)).map((p) => p.id)).toEqual([]);
    expect(passages.filter((p) => p.lang === 'zh' && kana.test(p.text)).map((p) => p.id)).toEqual([]);
  });
});

describe('the example queries', () => {
  const ids = new Set(passages.map((p) => p.id));

  it('number 60, each in an allowed language', () => {
    expect(queries).toHaveLength(60);
    expect(queries.filter((q) => !(LANGS as readonly string[]).includes(q.lang)).map((q) => q.query)).toEqual([]);
  });

  it('name 1 to 3 relevant passages each, all of which exist', () => {
    expect(queries.filter((q) => q.relevant.length < 1 || q.relevant.length > 3).map((q) => q.query)).toEqual([]);
    expect(queries.flatMap((q) => q.relevant).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('include at least 10 Chinese queries', () => {
    expect(queries.filter((q) => q.lang === 'zh').length).toBeGreaterThanOrEqual(10);
  });
});
