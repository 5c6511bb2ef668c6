/**
 * The element's attributes, read and checked in one place. Bad values fail with EmbedError
 * INVALID_OPTION naming the attribute, the value and what it may be, so the widget can show it.
 */
import { EmbedError } from '../core/errors.ts';
import { DEVICE_CHOICES, DTYPE_CHOICES, DTYPES, isOneOf, type DeviceChoice, type Dtype } from '../core/choices.ts';
import { modelSourceFromText } from '../core/model-text.ts';
import type { ModelSource } from '../core/types.ts';
import { MODEL_LOAD_CHOICES, type ModelLoad } from './model-load-plan.ts';
import { MODES, type WidgetMode } from './modal-mode.ts';

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

/** Attributes whose change means the index must be rebuilt (another source or another model). */
export const INDEX_ATTRIBUTES = ['src', 'model', 'dtype', 'device', 'dimensions'] as const;
/** Attributes that only change how the next search runs or how the box looks. */
export const VIEW_ATTRIBUTES = ['instruction', 'placeholder', 'limit', 'label', 'mode', 'recent'] as const;
/** Read once per index(): when the model loads (model-load-plan.ts). */
export const LOAD_ATTRIBUTES = ['model-load'] as const;

export interface WidgetSettings {
  src: string | undefined;
  /** undefined: the index's model, else the library's default Hub model. */
  model: ModelSource | undefined;
  /** undefined: the index's dtype, else 'auto'. */
  dtype: Dtype | 'auto' | undefined;
  device: DeviceChoice;
  dimensions: number | undefined;
  instruction: string | undefined;
  limit: number;
  /** undefined: the default for the index (model-load-plan.ts). */
  modelLoad: ModelLoad | undefined;
  /** `inline` (default): the box in the page; `modal`: a button that opens it in a dialog. */
  mode: WidgetMode;
  /** Recent searches are kept and shown (default); `recent="off"` turns them off. */
  recent: boolean;
}

/**
 * @example
 * readSettings((name) => ({ src: '/index.json', limit: '3' })[name] ?? null);
 * // { src: '/index.json', model: undefined, dtype: undefined, device: 'auto', dimensions: undefined, instruction: undefined, limit: 3, modelLoad: undefined, mode: 'inline', recent: true }
 */
export function readSettings(get: (name: string) => string | null): WidgetSettings {
  const text = (name: string): string | undefined => {
    const value = get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const model = text('model');
  const dtype = text('dtype');
  const device = text('device');
  const modelLoad = text('model-load');
  const mode = text('mode');
  const recent = text('recent');
  return {
    src: text('src'),
    model: model === undefined ? undefined : modelSourceFromText(model),
    dtype: dtype === undefined ? undefined : pick('dtype', dtype, DTYPE_CHOICES),
    device: device === undefined ? 'auto' : pick('device', device, DEVICE_CHOICES),
    dimensions: whole('dimensions', text('dimensions'), 1, Number.MAX_SAFE_INTEGER),
    instruction: text('instruction'),
    limit: whole('limit', text('limit'), 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
    modelLoad: modelLoad === undefined ? undefined : pick('model-load', modelLoad, MODEL_LOAD_CHOICES),
    mode: mode === undefined ? 'inline' : pick('mode', mode, MODES),
    recent: recent === undefined || pick('recent', recent, ['on', 'off'] as const) === 'on',
  };
}

function whole(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new EmbedError(
      'INVALID_OPTION',
      `${name}="${value}" on <semantic-search> is not a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'the model size' : max}; fix the attribute`,
    );
  }
  return n;
}

function pick<K extends string>(name: string, value: string, allowed: readonly K[]): K {
  if (isOneOf(allowed, value)) return value;
  throw new EmbedError(
    'INVALID_OPTION',
    `${name}="${value}" on <semantic-search> is not one of ${allowed.join(', ')}; fix the attribute`,
  );
}

/**
 * The dtype an index file names, as a load option; SOURCE_INVALID when tabembed has no such dtype.
 *
 * @example
 * indexDtype('q8', '/index.json'); // 'q8'
 */
export function indexDtype(value: string, name: string): Dtype {
  if (isOneOf(DTYPES, value)) return value;
  throw new EmbedError(
    'SOURCE_INVALID',
    `${name}: "fingerprint.dtype" is "${value}", not one of ${DTYPES.join(', ')}; rebuild the file with \`tabembed index\``,
  );
}
