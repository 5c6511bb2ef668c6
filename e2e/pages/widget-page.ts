/**
 * Test-only page: defines `<semantic-search>` from the source (src/widget/index.ts) and records
 * every event the widgets send, in plain data, so a spec can read what a page's listener heard.
 * Widgets are added by the spec (`addWidget`) with whatever attributes a test needs.
 */
import '../../src/widget/index.ts';

export interface HeardEvent {
  type: string;
  /** The element's id. */
  target: string;
  detail: unknown;
  defaultPrevented: boolean;
}

const heard: HeardEvent[] = [];
/** `select` events of these widget ids get preventDefault(), so the spec sees them without a navigation. */
const keepOnPage = new Set<string>();

for (const type of ['ready', 'results', 'select', 'error']) {
  document.addEventListener(type, (event) => {
    const target = event.target instanceof HTMLElement ? event.target.id : '';
    if (type === 'select' && keepOnPage.has(target)) event.preventDefault();
    heard.push({
      type,
      target,
      detail: event instanceof CustomEvent ? (JSON.parse(JSON.stringify(event.detail)) as unknown) : undefined,
      defaultPrevented: event.defaultPrevented,
    });
  });
}

const harness = {
  addWidget(id: string, attributes: Record<string, string>, options: { keepOnPage?: boolean } = {}): void {
    const widget = document.createElement('semantic-search');
    widget.id = id;
    for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
    if (options.keepOnPage) keepOnPage.add(id);
    document.getElementById('widgets')?.append(widget);
  },
  events(type?: string): HeardEvent[] {
    return heard.filter((event) => type === undefined || event.type === type);
  },
};

Object.assign(window, { widgetHarness: harness });
export type WidgetHarness = typeof harness;
