/**
 * The workers expose their APIs with `FROM_OWNING_PAGE`: a Comlink call arriving with the empty
 * origin (what a page's worker.postMessage delivers) is served; the same call carrying a window's
 * origin (what a foreign frame's postMessage would carry) is not. The endpoint here is a plain
 * EventTarget so the test can set each event's origin, which a real port cannot.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { FROM_OWNING_PAGE } from '../../src/protocol/worker-origins.ts';

class RecordingEndpoint extends EventTarget {
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

/** Comlink's wire format for `api.add(2, 3)` (its protocol's GET/APPLY messages, as `wrap` sends them). */
function callAdd(id: string): unknown {
  return {
    id,
    type: 'APPLY',
    path: ['add'],
    argumentList: [
      { type: 'RAW', value: 2 },
      { type: 'RAW', value: 3 },
    ],
  };
}

async function deliver(endpoint: RecordingEndpoint, origin: string, id: string): Promise<void> {
  endpoint.dispatchEvent(new MessageEvent('message', { data: callAdd(id), origin }));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a worker API exposed FROM_OWNING_PAGE', () => {
  it('answers a call that comes from the page that started it (empty origin)', async () => {
    const endpoint = new RecordingEndpoint();
    Comlink.expose({ add: (a: number, b: number) => a + b }, endpoint, [...FROM_OWNING_PAGE]);
    await deliver(endpoint, '', 'from-page');
    expect(endpoint.posted).toEqual([expect.objectContaining({ id: 'from-page', type: 'RAW', value: 5 })]);
  });

  it('ignores the same call when it carries a window origin, as a foreign frame would', async () => {
    const endpoint = new RecordingEndpoint();
    Comlink.expose({ add: (a: number, b: number) => a + b }, endpoint, [...FROM_OWNING_PAGE]);
    await deliver(endpoint, 'https://ads.example', 'from-frame');
    await deliver(endpoint, 'http://localhost:4173', 'from-own-window');
    expect(endpoint.posted).toEqual([]);
  });

  it("is stricter than Comlink's default, which answers any origin", async () => {
    const endpoint = new RecordingEndpoint();
    Comlink.expose({ add: (a: number, b: number) => a + b }, endpoint);
    await deliver(endpoint, 'https://ads.example', 'default');
    expect(endpoint.posted).toEqual([expect.objectContaining({ id: 'default', value: 5 })]);
  });
});
