/**
 * What the matrix runs against: ONE engine on the fixture model (loads cost seconds), the OpenAI
 * facade over it, and the built CLI. Shared by the vitest suite and `npm run reliability`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { openAIFacade, type OpenAIFacade } from '../../src/client/openai/openai-facade.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { asFacadeEmbedder } from '../engine/facade-embedder.ts';

/** The fixture every surface is tested on (hidden size 64, maxTokens 8192). */
export const FIXTURE = 'public/models/qwen3-tiny';
/** The text of every "next good call", and the name the facade serves the model by. */
export const GOOD_TEXT = 'cats purr';
export const SERVED_AS = 'qwen3-tiny';

export interface MatrixContext {
  engine: EmbedEngine;
  facade: OpenAIFacade;
  /** GOOD_TEXT's vector before any bad input: every later good call must give exactly this. */
  baseline: number[];
  close(): Promise<void>;
}

/** For a `beforeAll` with a 120 s limit: the fixture and the CLI build take a while the first time. */
export async function openMatrix(): Promise<MatrixContext> {
  await generateFixture({ outDir: 'public/models' });
  if (!existsSync('dist/node/cli-main.js')) execFileSync('npm', ['run', 'build:cli'], { stdio: 'inherit' });
  const engine = await createNodeEmbedder({ model: FIXTURE, dtype: 'fp32' });
  const baseline = Array.from((await engine.embed([GOOD_TEXT])).vectors);
  return {
    engine,
    facade: openAIFacade(asFacadeEmbedder(engine), { modelId: SERVED_AS }),
    baseline,
    close: () => engine.dispose(),
  };
}
