import { describe, expect, it } from 'vitest';
import { buildPrompt, DEFAULT_INSTRUCTION, formatQuery } from '../../src/core/prompt.ts';

describe('buildPrompt', () => {
  it('formats a query exactly as "Instruct: {task}\\nQuery:{text}", with no space after "Query:"', () => {
    expect(buildPrompt('what is rope?', 'query', 'Find papers')).toBe('Instruct: Find papers\nQuery:what is rope?');
  });

  it('formatQuery gives the same bytes as buildPrompt for queries', () => {
    expect(formatQuery('Find papers', 'x')).toBe('Instruct: Find papers\nQuery:x');
  });

  it('uses the model card default instruction when none is given', () => {
    expect(DEFAULT_INSTRUCTION).toBe('Given a web search query, retrieve relevant passages that answer the query');
    expect(buildPrompt('capital of China', 'query')).toBe(
      'Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:capital of China',
    );
  });

  it('embeds documents raw, ignoring any instruction', () => {
    expect(buildPrompt('  The capital of China is Beijing.\n', 'document', 'Find papers')).toBe(
      '  The capital of China is Beijing.\n',
    );
  });
});
