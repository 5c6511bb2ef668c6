/**
 * A fake Hugging Face Hub for specs: one hub-server per worker serving the generated fixtures as
 * `tabembed/qwen3-tiny` and `tabembed/qwen3-tiny-nopast`, with faults and the request log reset
 * before every test so a spec never inherits another test's faults.
 *
 * Chromium's HTTP cache keeps what a `truncate`/`drop` fault let through (the responses carry a
 * strong ETag and Accept-Ranges) and resumes it with Range requests on the next fetch of the same
 * URL (seen with Chromium 156: `bytes=10-10`, then `bytes=10-1023`), so later requests in the log
 * can be 206s the code under test never asked for; fetch with `cache: 'no-store'` where that matters.
 *
 * @example
 *   import { test, expect } from './support/hub-fixture.ts';
 *   test('retries a truncated download', async ({ page, hub }) => {
 *     hub.setFaults([{ path: 'onnx/model_q4.onnx', fault: 'truncate', times: 1 }]);
 *     // … load the model from hub.url('tabembed/qwen3-tiny') in the page …
 *     expect(hub.requests().filter((r) => r.path.endsWith('model_q4.onnx'))).toHaveLength(2);
 *   });
 */
import { test as base } from '@playwright/test';
import { type FaultRule, type HubRequest, startHubServer } from './hub-server.ts';

export { expect } from '@playwright/test';
export type { Fault, FaultRule, HubRequest } from './hub-server.ts';

export const HUB_REPOS = {
  'tabembed/qwen3-tiny': 'public/models/qwen3-tiny',
  'tabembed/qwen3-tiny-nopast': 'public/models/qwen3-tiny-nopast',
} as const;
export type HubRepo = keyof typeof HUB_REPOS;

export interface Hub {
  /** `http://127.0.0.1:PORT`, e.g. for transformers.js's `env.remoteHost`. */
  origin: string;
  /** Base URL of a repo's files, ending in `/`: `http://127.0.0.1:PORT/tabembed/qwen3-tiny/resolve/main/`. */
  url(repo: HubRepo, revision?: string): string;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  requests(): HubRequest[];
  resetLog(): void;
}

export const test = base.extend<{ hubReset: void }, { hub: Hub }>({
  hub: [
    // Playwright reads a fixture's dependencies from its destructuring, so the empty pattern stays.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startHubServer({ repos: HUB_REPOS });
      await use({
        origin: server.origin,
        url: (repo, revision = 'main') => `${server.origin}/${repo}/resolve/${encodeURIComponent(revision)}/`,
        setFaults: (rules) => server.setFaults(rules),
        clearFaults: () => server.clearFaults(),
        requests: () => server.requests(),
        resetLog: () => server.resetLog(),
      });
      await server.close();
    },
    { scope: 'worker' },
  ],
  hubReset: [
    async ({ hub }, use) => {
      hub.clearFaults();
      hub.resetLog();
      await use();
    },
    { auto: true },
  ],
});
