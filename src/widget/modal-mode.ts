/**
 * `mode="modal"`: a button (with the shortcut's hint) in the page, and the search in a
 * `<dialog>` opened with showModal(), so the browser makes the rest of the page inert, traps
 * focus and closes it on Esc. A click on the backdrop closes it too, and focus goes back to
 * whatever had it before (the button, or the field the visitor pressed Ctrl+K in).
 * `mode="inline"` (the default) keeps the search in the page.
 */
import type { WidgetParts } from './widget-template.ts';

export const MODES = ['inline', 'modal'] as const;
export type WidgetMode = (typeof MODES)[number];

export class ModalMode {
  private mode: WidgetMode = 'inline';
  /** What had focus when the dialog opened. */
  private opener: HTMLElement | undefined;

  constructor(
    private readonly parts: Pick<WidgetParts, 'panel' | 'opener' | 'dialog' | 'input'>,
    private readonly root: ShadowRoot,
    private readonly onClose: () => void,
  ) {
    const { dialog } = parts;
    parts.opener.addEventListener('click', () => this.open());
    // A click whose target is the dialog itself landed on its backdrop (its content is the panel).
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener('close', () => {
      this.onClose();
      const back = this.opener;
      this.opener = undefined;
      if (back?.isConnected) back.focus();
    });
  }

  get current(): WidgetMode {
    return this.mode;
  }

  /** Moves the panel where the mode wants it; a modal open when switching to inline closes. */
  set(mode: WidgetMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    const { panel, opener, dialog } = this.parts;
    if (mode === 'modal') {
      dialog.append(panel);
      opener.hidden = false;
    } else {
      if (dialog.open) dialog.close();
      opener.hidden = true;
      this.root.insertBefore(panel, dialog);
    }
  }

  /** Brings the search up: opens the dialog (modal), or focuses the box (inline). */
  open(): void {
    const { dialog, input } = this.parts;
    if (this.mode === 'modal' && !dialog.open) {
      const active = deepActiveElement();
      this.opener = active instanceof HTMLElement ? active : this.parts.opener;
      dialog.showModal();
    }
    input.focus();
    input.select();
  }

  close(): void {
    if (this.parts.dialog.open) this.parts.dialog.close();
  }
}

/** The focused element, looking inside shadow roots (document.activeElement stops at their hosts). */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
