/**
 * What a stored vector depends on (model, revision, dtype, dimensions, prompting), in one
 * comparable value. The store keys every vector by it, so vectors of two models or two
 * Matryoshka sizes never meet in one search: their cosines would be meaningless.
 */
import { EmbedError } from '../core/errors.ts';
import { promptingPolicy } from '../core/embedding-space.ts';
import type { EmbedderInfo } from '../core/types.ts';
import type { IndexFingerprint, VectorSource } from '../protocol/search-data.ts';

export type { VectorSource } from '../protocol/search-data.ts';

/**
 * The prompting policy of this project's embedder: documents raw, queries with the instruction,
 * written from core's own formatQuery so a change of prompt format changes every fingerprint.
 *
 * @example
 * instructionPolicy('Find passages'); // 'documents raw; queries "Instruct: Find passages\\nQuery:{text}"'
 */
export function instructionPolicy(instruction: string): string {
  // One rule with every provider's embedding space (core/embedding-space.ts).
  return promptingPolicy(instruction);
}

/**
 * @example
 * buildFingerprint(embedder.info(), 256, instructionPolicy(task));
 * // { model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', revision: 'c25a394d…', dtype: 'q8', dimensions: 256, instructionPolicy: '…' }
 */
export function buildFingerprint(
  info: Pick<EmbedderInfo, 'model' | 'revision'> & { dtype: string },
  dimensions: number,
  policy: string,
  source?: VectorSource,
): IndexFingerprint {
  return {
    model: info.model,
    revision: info.revision,
    dtype: info.dtype,
    dimensions,
    instructionPolicy: policy,
    ...(source ? { source } : {}),
  };
}

/**
 * A string equal for equal fingerprints and different otherwise (`source` aside: where vectors
 * were computed does not change their space): the fields in a fixed order
 * (never the object's own key order, which depends on how it was built), JSON-quoted so no
 * separator inside a field can make two fingerprints collide.
 */
export function fingerprintKey(fp: IndexFingerprint): string {
  return JSON.stringify([fp.model, fp.revision ?? null, fp.dtype, fp.dimensions, fp.instructionPolicy]);
}

export function sameFingerprint(a: IndexFingerprint, b: IndexFingerprint): boolean {
  return fingerprintKey(a) === fingerprintKey(b);
}

/**
 * One line for the UI.
 *
 * @example
 * describeFingerprint(fp); // 'qwen3-tiny @ main, q8, 64 dims, documents raw; queries "Instruct: …\nQuery:{text}"'
 */
export function describeFingerprint(fp: IndexFingerprint): string {
  return `${fp.model} @ ${fp.revision ?? 'no pinned revision'}, ${fp.dtype}, ${fp.dimensions} dims, ${fp.instructionPolicy}`;
}

/**
 * What differs between two fingerprints, in words, field by field: what a user needs to read
 * when a stored index does not fit the loaded model.
 *
 * @example
 * fingerprintDifferences(stored, wanted); // ['dtype q8, not q4']
 */
export function fingerprintDifferences(stored: IndexFingerprint, wanted: IndexFingerprint): string[] {
  const fields = [
    ['model', stored.model, wanted.model],
    ['revision', stored.revision ?? 'none pinned', wanted.revision ?? 'none pinned'],
    ['dtype', stored.dtype, wanted.dtype],
    ['dimensions', String(stored.dimensions), String(wanted.dimensions)],
    ['prompting', stored.instructionPolicy, wanted.instructionPolicy],
  ] as const;
  return fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${a}, not ${b}`);
}

/**
 * Checks a fingerprint that crossed a worker boundary (plain data, unchecked by the compiler).
 * Throws INVALID_OPTION naming the bad field.
 */
export function checkFingerprint(value: unknown): IndexFingerprint {
  const rule =
    'a fingerprint is { model: string, revision: string | undefined, dtype: string, dimensions: whole number ≥ 1, instructionPolicy: string }: build it with buildFingerprint()';
  const fail = (what: string, got: unknown): never => {
    throw new EmbedError('INVALID_OPTION', `the fingerprint${what} is ${JSON.stringify(got) ?? String(got)}; ${rule}`);
  };
  if (typeof value !== 'object' || value === null) return fail('', value);
  const field = (name: keyof IndexFingerprint): unknown => Reflect.get(value, name);
  const [model, revision, dtype, dimensions, instructionPolicy] = [
    field('model'),
    field('revision'),
    field('dtype'),
    field('dimensions'),
    field('instructionPolicy'),
  ];
  if (typeof model !== 'string') return fail("'s model", model);
  if (revision !== undefined && typeof revision !== 'string') return fail("'s revision", revision);
  if (typeof dtype !== 'string') return fail("'s dtype", dtype);
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1)
    return fail("'s dimensions", dimensions);
  if (typeof instructionPolicy !== 'string') return fail("'s instructionPolicy", instructionPolicy);
  return { model, revision, dtype, dimensions, instructionPolicy };
}
