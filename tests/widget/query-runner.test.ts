/**
 * When a query is asked for again (Enter, the index becoming searchable, the model arriving),
 * it runs only if its answer would differ from the one shown or on its way: another text,
 * another index(), or the model now able to join an answer made without it.
 */
import { describe, expect, it } from 'vitest';
import type { IndexRun } from '../../src/widget/index-run.ts';
import { sameAnswer } from '../../src/widget/query-runner.ts';

// sameAnswer compares runs by identity only: two distinct objects stand for two index() calls.
const runA = {} as IndexRun;
const runB = {} as IndexRun;

describe('sameAnswer', () => {
  it('is the same answer for the same text on the same index, the model no more present than before', () => {
    expect(sameAnswer({ text: 'tea', run: runA, semantic: false }, { text: 'tea', run: runA, semantic: false })).toBe(
      true,
    );
    expect(sameAnswer({ text: 'tea', run: runA, semantic: true }, { text: 'tea', run: runA, semantic: true })).toBe(
      true,
    );
    // An answer that waited for the model (no lexical part) already has it.
    expect(sameAnswer({ text: 'tea', run: runA, semantic: true }, { text: 'tea', run: runA, semantic: false })).toBe(
      true,
    );
  });

  it('is another answer for another text, another index(), or once the model can join a keyword answer', () => {
    expect(sameAnswer({ text: 'tea', run: runA, semantic: false }, { text: 'bread', run: runA, semantic: false })).toBe(
      false,
    );
    expect(sameAnswer({ text: 'tea', run: runA, semantic: false }, { text: 'tea', run: runB, semantic: false })).toBe(
      false,
    );
    expect(sameAnswer({ text: 'tea', run: runA, semantic: false }, { text: 'tea', run: runA, semantic: true })).toBe(
      false,
    );
    expect(sameAnswer(undefined, { text: 'tea', run: runA, semantic: false })).toBe(false);
  });
});
