/**
 * What the in-process serve tests share: the served engine and an independent reference engine
 * (both `createNodeEmbedder` on the tiny fixture, q8), servers on the served one that are
 * drained after the file, and a way to make the engine busy without timing.
 */
import { once } from 'node:events';
import { afterAll, beforeAll } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../src/node/serve/server.ts';
import { heldEngine, type HeldEngine } from './held-engine.ts';
import { client } from './serve-client.ts';

export const MODEL_DIR = 'public/models/qwen3-tiny';
/** The id the test servers serve the fixture as. */
export const MODEL = 'qwen3-tiny';

export interface ServeFixture {
  /** The engine the servers run on. */
  served: () => EmbedEngine;
  /** The independent engine vectors are compared with. */
  reference: () => EmbedEngine;
  /** A ready server on the served engine, its next engine call holdable. */
  serve: (options?: Partial<ServeOptions>) => Promise<{ server: RunningServer; held: HeldEngine }>;
}

/** Registers the file's beforeAll / afterAll; call at the top of a test file. */
export function serveFixture(): ServeFixture {
  let served: EmbedEngine | undefined;
  let reference: EmbedEngine | undefined;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    await generateFixture({ outDir: 'public/models' });
    served = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'q8' });
    reference = await createNodeEmbedder({ model: MODEL_DIR, dtype: 'q8' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.drain()));
    await served?.dispose();
    await reference?.dispose();
  });
  const loaded = (engine: EmbedEngine | undefined): EmbedEngine => {
    if (!engine) throw new Error('the engines load in beforeAll');
    return engine;
  };
  return {
    served: () => loaded(served),
    reference: () => loaded(reference),
    serve: async (options = {}) => {
      const held = heldEngine(loaded(served));
      const server = await startServer({ engine: held.engine, modelId: MODEL, ...options });
      servers.push(server);
      await server.ready;
      return { server, held };
    },
  };
}

/** Embeds `input` through the server with the openai client, as float arrays. */
export function embed(url: string, input: string | string[]): Promise<number[][]> {
  return client(url)
    .embeddings.create({ model: MODEL, input, encoding_format: 'float' })
    .then((response) => response.data.map(({ embedding }) => embedding));
}

/** Resolves once `count` requests wait in the server's queue. */
export async function queued(server: RunningServer, count: number): Promise<void> {
  while (server.queue.waitingRequests < count) await once(server.queue, 'queued');
}

/**
 * Sends `text` and holds its engine call at the door: until `release()`, the engine is busy and
 * every request sent meanwhile waits in the queue.
 */
export async function busyWith(
  server: RunningServer,
  held: HeldEngine,
  text: string,
): Promise<{ running: Promise<number[][]>; release: () => void }> {
  const door = held.hold();
  const running = embed(server.url, text);
  await door.entered;
  return { running, release: door.release };
}
