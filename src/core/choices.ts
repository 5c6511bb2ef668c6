/**
 * What a caller may choose for a load's dtype and device: one list each. Every place that reads
 * a choice written as text (a page URL, a widget attribute, an index file, the CLI) checks it
 * against these, and the types derive from them, so a dtype added here is known everywhere.
 */

/** The dtypes in transformers.js's names (model/dtype-files.ts maps each to its files). */
export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type Dtype = (typeof DTYPES)[number];

/** A load's dtype option: a dtype, or `'auto'` (engine/dtype-choice.ts). */
export const DTYPE_CHOICES = ['auto', ...DTYPES] as const;

/** A load's device option (engine/device-choice.ts decides `'auto'`). */
export const DEVICE_CHOICES = ['auto', 'wasm', 'webgpu'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

/**
 * Narrows text read from outside to one of `choices`.
 *
 * @example isOneOf(DTYPES, 'q8') // true; isOneOf(DTYPES, 'Q8') // false
 */
export function isOneOf<T extends string>(choices: readonly T[], value: string): value is T {
  return choices.some((choice) => choice === value);
}
