/**
 * Test-only page script: starts the smoke worker the way product pages start theirs
 * (`new Worker(new URL(...), { type: 'module' })`, which Vite bundles in both dev and build) and
 * exposes a tiny promise API on `window.smoke` for Playwright's `page.evaluate`.
 */
import type { ProbeResult, RunRequest, RunResult, SmokeRequest, SmokeResponse } from './smoke-protocol.ts';

export interface AdapterReport {
  readonly present: boolean;
  readonly info: Record<string, string>;
  readonly features: string[];
  readonly limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
  };
}

export interface SmokeApi {
  pageIsolated(): boolean;
  adapter(): Promise<AdapterReport>;
  probeWorker(): Promise<ProbeResult>;
  run(req: Omit<RunRequest, 'kind' | 'id'>): Promise<RunResult>;
}

declare global {
  interface Window {
    smoke: SmokeApi;
  }
}

const worker = new Worker(new URL('./smoke-worker.ts', import.meta.url), { type: 'module', name: 'smoke' });
const pending = new Map<number, { resolve: (r: SmokeResponse) => void; reject: (e: Error) => void }>();
let nextId = 1;

worker.addEventListener('message', (event: MessageEvent<SmokeResponse>) => {
  const waiter = pending.get(event.data.id);
  pending.delete(event.data.id);
  waiter?.resolve(event.data);
});
worker.addEventListener('error', (event) => {
  for (const waiter of pending.values()) waiter.reject(new Error(`smoke worker failed: ${event.message}`));
  pending.clear();
});

function ask(req: SmokeRequest): Promise<SmokeResponse> {
  return new Promise((resolve, reject) => {
    pending.set(req.id, { resolve, reject });
    worker.postMessage(req);
  });
}

async function adapter(): Promise<AdapterReport> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const found = gpu ? await gpu.requestAdapter() : null;
  if (!found)
    return {
      present: false,
      info: {},
      features: [],
      limits: { maxBufferSize: 0, maxStorageBufferBindingSize: 0, maxComputeWorkgroupStorageSize: 0 },
    };
  const { vendor, architecture, device, description } = found.info;
  return {
    present: true,
    info: { vendor, architecture, device, description },
    features: [...found.features].sort(),
    limits: {
      maxBufferSize: found.limits.maxBufferSize,
      maxStorageBufferBindingSize: found.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: found.limits.maxComputeWorkgroupStorageSize,
    },
  };
}

window.smoke = {
  pageIsolated: () => self.crossOriginIsolated,
  adapter,
  async probeWorker() {
    const res = await ask({ kind: 'probe', id: nextId++ });
    if (!res.ok) throw new Error(res.error);
    if (!('probe' in res)) throw new Error('probe: unexpected reply');
    return res.probe;
  },
  async run(req) {
    const res = await ask({ kind: 'run', id: nextId++, ...req });
    if (!res.ok) throw new Error(res.error);
    if (!('run' in res)) throw new Error('run: unexpected reply');
    return res.run;
  },
};
document.body.dataset.ready = 'true';
