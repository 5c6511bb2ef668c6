/**
 * When `<semantic-search>` loads its model: a pure decision from the `model-load` attribute, the
 * visitor's Save-Data preference and whether the index can answer by keyword without the model.
 * The element acts on the plan (semantic-search-element.ts, model-trigger.ts).
 */
/**
 * - `eager`: when the page opens (the only way before keyword search; the default without a lexical part);
 * - `idle`: once the page has loaded and the browser is idle;
 * - `interaction`: at the first focus or keystroke in the box;
 * - `search`: after the first search, whose keyword results show first (the default with a lexical part);
 * - `manual`: when the visitor presses the widget's button.
 */
export const MODEL_LOAD_CHOICES = ['eager', 'idle', 'interaction', 'search', 'manual'] as const;
export type ModelLoad = (typeof MODEL_LOAD_CHOICES)[number];

export interface ModelLoadInput {
  /** The `model-load` attribute (checked by widget-attributes.ts), undefined when absent or blank. */
  attribute: ModelLoad | undefined;
  /** `navigator.connection.saveData`: the visitor asked sites to send less. */
  saveData: boolean;
  /** The index has a lexical part, so keyword results can come before the model. */
  lexical: boolean;
}

export interface ModelLoadPlan {
  when: ModelLoad;
  /** Why, in words a status line or a test can show. */
  reason: string;
}

/**
 * @example
 * planModelLoad({ attribute: undefined, saveData: false, lexical: true });  // { when: 'search', reason: … }
 * planModelLoad({ attribute: undefined, saveData: false, lexical: false }); // { when: 'eager', reason: … }
 * planModelLoad({ attribute: 'idle', saveData: true, lexical: true });      // { when: 'manual', reason: … }
 */
export function planModelLoad({ attribute, saveData, lexical }: ModelLoadInput): ModelLoadPlan {
  // Without a lexical part nothing answers before the model, so an unset attribute keeps
  // loading it at once (the widget's behaviour before keyword search), Save-Data or not: the
  // page chose a semantic-only index and the visitor came to search it.
  if (attribute === undefined && !lexical)
    return { when: 'eager', reason: 'the index has no lexical part: only the model can answer' };
  if (saveData) return { when: 'manual', reason: 'the visitor asked to save data: the model loads only at the button' };
  if (attribute === undefined) return { when: 'search', reason: 'keyword results first, then the model loads' };
  return { when: attribute, reason: `model-load="${attribute}"` };
}
