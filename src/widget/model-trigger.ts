/**
 * Acts on a model-load plan (model-load-plan.ts): calls `start` once, at the moment the plan
 * names. `search` is the element's own (it starts the load after answering the first search);
 * the rest listen here, and stop listening when `signal` aborts (a new index(), the widget
 * leaving the page).
 */
import type { ModelLoad } from './model-load-plan.ts';

export interface TriggerParts {
  input: HTMLInputElement;
  /** The widget's "load the model" button, shown for `manual`. */
  button: HTMLButtonElement;
}

/**
 * @example
 * armModelTrigger('interaction', parts, () => startModelLoad(), controller.signal); // at the first focus or key
 */
export function armModelTrigger(when: ModelLoad, parts: TriggerParts, start: () => void, signal: AbortSignal): void {
  const once = { once: true, signal };
  switch (when) {
    case 'eager':
      start();
      return;
    case 'idle':
      afterPageLoad(() => whenIdle(start, signal), signal);
      return;
    case 'interaction':
      for (const type of ['focus', 'keydown', 'input'] as const) parts.input.addEventListener(type, start, once);
      return;
    case 'search':
      return;
    case 'manual':
      parts.button.hidden = false;
      parts.button.addEventListener('click', start, once);
      signal.addEventListener('abort', () => (parts.button.hidden = true), { once: true });
      return;
    default:
      return when satisfies never;
  }
}

/** After the window's load event (the page has settled), at once when it has fired already. */
function afterPageLoad(then: () => void, signal: AbortSignal): void {
  if (document.readyState === 'complete') then();
  else window.addEventListener('load', then, { once: true, signal });
}

/** When the browser is idle; a task later where requestIdleCallback is missing (Safari before 18.x). */
function whenIdle(then: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(then);
    signal.addEventListener('abort', () => cancelIdleCallback(id), { once: true });
  } else {
    const id = setTimeout(then, 0);
    signal.addEventListener('abort', () => clearTimeout(id), { once: true });
  }
}

/** `navigator.connection.saveData` (Chromium: the Save-Data preference or Lite mode); false where the browser has no Network Information API. */
export function prefersSavingData(): boolean {
  const connection: unknown = Reflect.get(navigator, 'connection');
  return typeof connection === 'object' && connection !== null && Reflect.get(connection, 'saveData') === true;
}
