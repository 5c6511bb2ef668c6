/** Fingerprint keys file every stored vector in IndexedDB, so they must never change for the same fingerprint. */
import { describe, expect, it } from 'vitest';
import {
  buildFingerprint,
  checkFingerprint,
  describeFingerprint,
  fingerprintDifferences,
  fingerprintKey,
  instructionPolicy,
  sameFingerprint,
} from '../../src/search/fingerprint.ts';
import type { IndexFingerprint } from '../../src/protocol/search-data.ts';

const FP: IndexFingerprint = buildFingerprint(
  { model: '/models/qwen3-tiny/', revision: 'abc123', dtype: 'q8' },
  64,
  instructionPolicy('Find passages'),
);

describe('fingerprint', () => {
  it('writes the instruction policy from the real query prompt format', () => {
    expect(FP.instructionPolicy).toBe('documents raw; queries "Instruct: Find passages\\nQuery:{text}"');
  });

  it('has a key pinned to its exact text (stored keys outlive the code that wrote them)', () => {
    expect(fingerprintKey(FP)).toBe(
      '["/models/qwen3-tiny/","abc123","q8",64,"documents raw; queries \\"Instruct: Find passages\\\\nQuery:{text}\\""]',
    );
  });

  it('gives the same key whatever order the fields were written in', () => {
    const reordered: IndexFingerprint = {
      instructionPolicy: FP.instructionPolicy,
      dimensions: 64,
      dtype: 'q8',
      revision: 'abc123',
      model: '/models/qwen3-tiny/',
    };
    expect(fingerprintKey(reordered)).toBe(fingerprintKey(FP));
    expect(sameFingerprint(reordered, FP)).toBe(true);
  });

  it('gives a different key when any one field changes, including revision undefined vs "undefined"', () => {
    const variants: IndexFingerprint[] = [
      { ...FP, model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX' },
      { ...FP, revision: undefined },
      { ...FP, revision: 'undefined' },
      { ...FP, dtype: 'q4' },
      { ...FP, dimensions: 32 },
      { ...FP, instructionPolicy: instructionPolicy('Other task') },
    ];
    const keys = new Set([FP, ...variants].map(fingerprintKey));
    expect(keys.size).toBe(variants.length + 1);
    for (const v of variants) expect(sameFingerprint(v, FP)).toBe(false);
  });

  it('describes itself in one line for the UI', () => {
    expect(describeFingerprint(FP)).toBe(
      '/models/qwen3-tiny/ @ abc123, q8, 64 dims, documents raw; queries "Instruct: Find passages\\nQuery:{text}"',
    );
    expect(describeFingerprint({ ...FP, revision: undefined })).toMatch(/ @ no pinned revision, /);
  });

  it('checks a fingerprint that came over the wire, naming the bad field', () => {
    expect(checkFingerprint({ ...FP })).toEqual(FP);
    expect(() => checkFingerprint({ ...FP, dimensions: 0 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/fingerprint's dimensions is 0/),
      }),
    );
    expect(() => checkFingerprint({ ...FP, model: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/fingerprint's model is 3/) }),
    );
    expect(() => checkFingerprint(null)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/fingerprint is null/) }),
    );
  });
});

describe('fingerprint differences', () => {
  const stored: IndexFingerprint = {
    model: 'org/Model',
    revision: 'abc',
    dtype: 'q8',
    dimensions: 1024,
    instructionPolicy: 'documents raw',
  };

  it('names only the fields that differ, stored value first', () => {
    expect(fingerprintDifferences(stored, { ...stored, dtype: 'q4' })).toEqual(['dtype q8, not q4']);
    expect(fingerprintDifferences(stored, { ...stored, revision: undefined, dimensions: 256 })).toEqual([
      'revision abc, not none pinned',
      'dimensions 1024, not 256',
    ]);
  });

  it('finds nothing between equal fingerprints', () => {
    expect(fingerprintDifferences(stored, { ...stored })).toEqual([]);
  });
});
