import { DTYPE_CHOICES, DTYPES, isOneOf } from './choices.ts';
import { EmbedError } from './errors.ts';
import { isRecord } from './is-record.ts';
import type { TextKind } from './prompt.ts';
import type { OverLength } from './types.ts';

export const MIN_DIMENSIONS = 32;

/** Checks the caller's texts before any work starts, naming the first bad item and the rule. */
export function validateTexts(texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) {
    throw new EmbedError('INVALID_INPUT', `texts must be an array of strings, got ${describeInput(texts)}`);
  }
  if (texts.length === 0) {
    throw new EmbedError('INVALID_INPUT', 'texts is empty: pass at least one string to embed');
  }
  // An index loop, not forEach: forEach skips the holes of a sparse array ([, 'a']), which would
  // then reach the tokenizer as undefined.
  for (let index = 0; index < texts.length; index++) {
    if (!(index in texts)) {
      throw new EmbedError(
        'INVALID_INPUT',
        `texts[${index}] is missing (a hole in a sparse array): every item must be a string`,
        { index },
      );
    }
    const text: unknown = texts[index];
    if (typeof text !== 'string') {
      throw new EmbedError('INVALID_INPUT', `texts[${index}] must be a string, got ${describeInput(text)}`, { index });
    }
    if (text.length === 0) {
      throw new EmbedError('INVALID_INPUT', `texts[${index}] is an empty string: there is nothing to embed`, { index });
    }
  }
}

/** Matryoshka sizes: whole numbers from 32 up to the model's hidden size. */
export function validateDimensions(dimensions: unknown, hiddenSize: number): number {
  if (dimensions === undefined) return hiddenSize;
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions < MIN_DIMENSIONS ||
    dimensions > hiddenSize
  ) {
    throw new EmbedError(
      'INVALID_OPTION',
      `dimensions must be a whole number from ${MIN_DIMENSIONS} to ${hiddenSize} (this model's hidden size), got ${describeInput(dimensions)}`,
    );
  }
  return dimensions;
}

/** `dtype`: 'auto' or one of the dtypes an export can have (`known`), before anything is fetched. */
export function validateDtype(dtype: unknown): void {
  if (typeof dtype === 'string' && isOneOf(DTYPE_CHOICES, dtype)) return;
  throw new EmbedError(
    'INVALID_OPTION',
    `dtype must be "auto" or one of ${DTYPES.join(', ')}, got ${describeInput(dtype)}`,
  );
}

export function validateMaxTokens(maxTokens: unknown): number | undefined {
  if (maxTokens === undefined) return undefined;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 2) {
    throw new EmbedError(
      'INVALID_OPTION',
      `maxTokens must be a whole number ≥ 2 (room for text and <|endoftext|>), got ${describeInput(maxTokens)}`,
    );
  }
  return maxTokens;
}

/** A caller's bad value in a message: `got null`, `got "hello"`, `got 4`, `got object`. Also the OpenAI facade's. */
export function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

export function validateKind(kind: unknown): TextKind {
  if (kind === undefined) return 'document';
  if (kind !== 'query' && kind !== 'document') {
    throw new EmbedError('INVALID_OPTION', `kind must be "query" or "document", got ${JSON.stringify(kind)}`);
  }
  return kind;
}

export function validateOverLength(overLength: unknown): OverLength {
  if (overLength === undefined) return 'truncate';
  if (overLength !== 'truncate' && overLength !== 'refuse') {
    throw new EmbedError(
      'INVALID_OPTION',
      `overLength must be "truncate" or "refuse", got ${describeInput(overLength)}`,
    );
  }
  return overLength;
}

export function validateInstruction(instruction: unknown): void {
  if (instruction !== undefined && (typeof instruction !== 'string' || instruction.length === 0)) {
    throw new EmbedError(
      'INVALID_OPTION',
      `instruction must be a non-empty string (a one-sentence task description), got ${describeInput(instruction)}`,
    );
  }
}

/** The options one embed call takes, on the page and in Node (`EmbedOptions`). */
export const EMBED_OPTION_NAMES = ['kind', 'instruction', 'dimensions', 'overLength', 'signal', 'onBatch'] as const;

/**
 * An embed call's options object, before its values are checked one by one: an object (or
 * nothing), with no option the call does not take, a callable `onBatch` and a real `signal`.
 * A misspelt option (`dimension: 256`) would otherwise be ignored, and the call would quietly
 * give full-size vectors; `extra` names what one caller takes besides (the engine's `priority`).
 */
export function validateEmbedOptions(options: unknown, extra: readonly string[] = []): void {
  if (options === undefined) return;
  if (!isRecord(options))
    throw new EmbedError(
      'INVALID_OPTION',
      `options must be an object such as { kind: 'query' }, got ${describeInput(options)}`,
    );
  validateOptionNames(options, [...EMBED_OPTION_NAMES, ...extra], 'embed');
  const { onBatch, signal } = options;
  if (onBatch !== undefined && typeof onBatch !== 'function')
    throw new EmbedError('INVALID_OPTION', `onBatch must be a function, got ${describeInput(onBatch)}`);
  if (signal !== undefined && !(isRecord(signal) && typeof signal['aborted'] === 'boolean'))
    throw new EmbedError('INVALID_OPTION', `signal must be an AbortSignal, got ${describeInput(signal)}`);
}

/** Refuses the first option `what` does not take, naming it and listing those it does. */
export function validateOptionNames(options: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(options).find((name) => !known.includes(name));
  if (unknown !== undefined)
    throw new EmbedError(
      'INVALID_OPTION',
      `options.${unknown} is not an option of ${what}; it takes ${known.join(', ')}`,
    );
}
