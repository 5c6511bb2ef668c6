/**
 * The element's shadow DOM and its styles. Styles are one constructable stylesheet shared by
 * every instance (adoptedStyleSheets): no `<style>` element, so a page whose CSP limits
 * style-src to its own files still styles the widget. Themes reach inside through the
 * `--semantic-search-*` custom properties and the `part`s named below.
 */

/** Custom properties a page may set on the element (or any ancestor), with their defaults. */
export const THEME_PROPERTIES = {
  '--semantic-search-font': 'inherit',
  '--semantic-search-color': '#1b1b1b',
  '--semantic-search-background': '#ffffff',
  '--semantic-search-border': '1px solid #767676',
  '--semantic-search-radius': '6px',
  '--semantic-search-accent': '#1a56db',
  '--semantic-search-active-background': '#e6edfd',
  '--semantic-search-active-color': '#0b2a6f',
  '--semantic-search-muted': '#525252',
  '--semantic-search-error': '#a40e0e',
  '--semantic-search-max-height': '22rem',
  '--semantic-search-z-index': '10',
  '--semantic-search-mark-background': '#fff3a3',
} as const;

const v = (name: keyof typeof THEME_PROPERTIES): string => `var(${name}, ${THEME_PROPERTIES[name]})`;

const CSS = `
:host { display: block; position: relative; font: ${v('--semantic-search-font')}; color: ${v('--semantic-search-color')}; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[part~="input"] {
  width: 100%; font: inherit; color: inherit; padding: 0.55em 0.75em;
  background: ${v('--semantic-search-background')}; border: ${v('--semantic-search-border')}; border-radius: ${v('--semantic-search-radius')};
}
[part~="input"]:focus-visible { outline: 2px solid ${v('--semantic-search-accent')}; outline-offset: 1px; }
[part~="listbox"] {
  position: absolute; left: 0; right: 0; z-index: ${v('--semantic-search-z-index')}; margin: 0.25em 0 0; padding: 0.25em 0; list-style: none;
  max-height: ${v('--semantic-search-max-height')}; overflow-y: auto;
  background: ${v('--semantic-search-background')}; border: ${v('--semantic-search-border')}; border-radius: ${v('--semantic-search-radius')};
  box-shadow: 0 4px 14px rgb(0 0 0 / 0.12);
}
[part~="listbox"][hidden] { display: none; }
[part~="option"] { display: grid; grid-template-columns: 1fr auto; gap: 0.1em 0.75em; padding: 0.45em 0.75em; cursor: pointer; }
[part~="option"][aria-selected="true"] { background: ${v('--semantic-search-active-background')}; color: ${v('--semantic-search-active-color')}; outline: 2px solid ${v('--semantic-search-accent')}; outline-offset: -2px; }
[part~="title"] { font-weight: 600; grid-column: 1; }
[part~="text"] { grid-column: 1; color: ${v('--semantic-search-muted')}; overflow: hidden; text-overflow: ellipsis; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
[part~="option"][aria-selected="true"] [part~="text"] { color: inherit; }
[part~="score"] { grid-column: 2; grid-row: 1; font-variant-numeric: tabular-nums; font-size: 0.85em; color: ${v('--semantic-search-muted')}; }
[part~="option"][aria-selected="true"] [part~="score"] { color: inherit; }
[part~="match"] { grid-column: 2; grid-row: 2; justify-self: end; font-size: 0.75em; color: ${v('--semantic-search-muted')}; }
[part~="model-button"] { margin-top: 0.4em; font: inherit; font-size: 0.85em; padding: 0.3em 0.7em; color: ${v('--semantic-search-accent')}; background: ${v('--semantic-search-background')}; border: ${v('--semantic-search-border')}; border-radius: ${v('--semantic-search-radius')}; cursor: pointer; }
[part~="model-button"][hidden], [part~="model-note"][hidden] { display: none; }
[part~="model-note"] { font-size: 0.85em; color: ${v('--semantic-search-muted')}; margin-top: 0.3em; }
[part~="status"] { font-size: 0.85em; color: ${v('--semantic-search-muted')}; margin-top: 0.3em; min-height: 1.2em; }
[part~="error"]:empty { display: none; }
[part~="error"] { margin-top: 0.4em; padding: 0.5em 0.75em; border-left: 3px solid ${v('--semantic-search-error')}; color: ${v('--semantic-search-error')}; font-size: 0.9em; overflow-wrap: anywhere; }
[part~="error-code"] { font-weight: 600; margin-right: 0.4em; }
[part~="group"] { display: block; }
[part~="option"][data-kind="section"] { padding-left: 1.75em; }
[part~="heading"] { grid-column: 1; font-size: 0.9em; }
mark, [part~="mark"] { background: ${v('--semantic-search-mark-background')}; color: inherit; font-weight: 600; }
[part~="option"][data-kind="recent"] { grid-template-columns: 1fr auto; }
[part~="remove"] { grid-column: 2; grid-row: 1; padding: 0 0.4em; color: ${v('--semantic-search-muted')}; }
[part~="remove"]:hover { color: inherit; }
[part~="open-button"] {
  display: inline-flex; align-items: center; gap: 0.75em; font: inherit; color: inherit; padding: 0.45em 0.75em; cursor: pointer;
  background: ${v('--semantic-search-background')}; border: ${v('--semantic-search-border')}; border-radius: ${v('--semantic-search-radius')};
}
[part~="open-button"][hidden] { display: none; }
[part~="open-button"]:focus-visible, [part~="model-button"]:focus-visible { outline: 2px solid ${v('--semantic-search-accent')}; outline-offset: 2px; }
[part~="shortcut"] { font: inherit; font-size: 0.8em; padding: 0.05em 0.4em; border: 1px solid currentColor; border-radius: 4px; color: ${v('--semantic-search-muted')}; }
[part~="dialog"] {
  width: min(40rem, calc(100vw - 2rem)); margin: 10vh auto auto; padding: 0.75em; color: inherit;
  background: ${v('--semantic-search-background')}; border: ${v('--semantic-search-border')}; border-radius: ${v('--semantic-search-radius')};
}
[part~="dialog"]::backdrop { background: rgb(0 0 0 / 0.4); }
[part~="dialog"] [part~="listbox"] { position: static; box-shadow: none; }
`;

let sheet: CSSStyleSheet | undefined;

/** One stylesheet for every instance, made on first use (not at import, so importing has no DOM side effects). */
export function widgetStyles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** The model button's words until the model's size is known (download-size.ts). */
export const MODEL_BUTTON_TEXT = 'Search by meaning too (loads a language model)';

export interface WidgetParts {
  input: HTMLInputElement;
  listbox: HTMLElement;
  status: HTMLElement;
  error: HTMLElement;
  /** Loads the model when `model-load` (or Save-Data) leaves it to the visitor; hidden otherwise. */
  button: HTMLButtonElement;
  /** Under `model-load="interaction"`: what the model's download will be (download-size.ts). */
  note: HTMLElement;
  /** The input, list, status, button and error box: in the shadow root (inline) or in `dialog` (modal). */
  panel: HTMLElement;
  /** `mode="modal"`: the button that opens the dialog (hidden inline). */
  opener: HTMLButtonElement;
  dialog: HTMLDialogElement;
}

/** Builds the shadow tree with DOM calls (no innerHTML: nothing here is ever parsed from text). */
export function buildWidget(root: ShadowRoot): WidgetParts {
  root.adoptedStyleSheets = [widgetStyles()];
  const input = element('input', {
    part: 'input',
    type: 'text',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'listbox',
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
  });
  const listbox = element('div', { part: 'listbox', id: 'listbox', role: 'listbox', 'aria-label': 'Search results' });
  listbox.hidden = true;
  const status = element('div', { part: 'status', role: 'status' });
  // Polite, not an alert: a widget in a page should not interrupt whatever the reader is doing.
  const error = element('div', { part: 'error', 'aria-live': 'polite' });
  const button = element('button', { part: 'model-button', type: 'button' }, MODEL_BUTTON_TEXT);
  button.hidden = true;
  const note = element('div', { part: 'model-note' });
  note.hidden = true;
  const panel = element('div', { part: 'panel' });
  panel.append(input, listbox, status, button, note, error);
  const opener = element('button', {
    part: 'open-button',
    type: 'button',
    'aria-haspopup': 'dialog',
    'aria-keyshortcuts': 'Control+K Meta+K /',
  });
  opener.append(
    element('span', { part: 'open-label' }, 'Search'),
    element('kbd', { part: 'shortcut' }, shortcutHint()),
  );
  opener.hidden = true;
  const dialog = element('dialog', { part: 'dialog', 'aria-label': 'Search' });
  root.replaceChildren(opener, panel, dialog);
  return { input, listbox, status, error, button, note, panel, opener, dialog };
}

/** The open shortcut as the visitor's keyboard writes it: ⌘K on Apple platforms, Ctrl K elsewhere. */
function shortcutHint(): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl K';
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}
