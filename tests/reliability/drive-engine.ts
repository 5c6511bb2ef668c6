/**
 * The drivers of the surfaces that run on the engine: `embed()` and loading, the OpenAI facade,
 * and the `/v1/embeddings` route (its service worker's checks, then the hosting tab's answer).
 * After each case the next good call must give the baseline vector, and a refused call must
 * have run no batch.
 */
import { answer } from '../../src/client/openai/serve-embeddings-route.ts';
import { OpenAIRequestError } from '../../src/protocol/openai/openai-error.ts';
import { EmbedError } from '../../src/core/errors.ts';
import { isRecord } from '../../src/core/is-record.ts';
import type { EmbedBatchResult } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { endpointOf } from '../../src/protocol/openai/route-paths.ts';
import { decideRequest } from '../../src/protocol/openai/route-request.ts';
import type { BadInput, Observation } from './bad-input.ts';
import { FIXTURE, GOOD_TEXT, SERVED_AS, type MatrixContext } from './matrix-context.ts';

type Case<S extends BadInput['surface']> = Extract<BadInput, { surface: S }>;
type Outcome = Pick<Observation, 'outcome' | 'message' | 'resultProblems'>;

export async function driveEmbed(bad: Case<'embed'>, context: MatrixContext): Promise<Observation> {
  const { engine } = context;
  return watched(context, async () => {
    if ('load' in bad) {
      const loaded = await createNodeEmbedder({ model: FIXTURE, dtype: 'fp32', ...bad.load });
      await loaded.dispose();
      return { outcome: { accepted: true }, message: 'loaded', resultProblems: [] };
    }
    // Bad input on purpose: the texts and options go in as the case gives them.
    const embed = engine.embed.bind(engine) as (texts: unknown, options?: unknown) => Promise<EmbedBatchResult>;
    const result = await embed(bad.texts, bad.options);
    const problems = unitRows(result);
    const sameAs = 'sameAs' in bad.expect ? bad.expect.sameAs : undefined;
    if (sameAs) {
      const other = await embed(sameAs, bad.options);
      if (!sameValues(result.vectors, other.vectors))
        problems.push(`the vectors differ from those of ${JSON.stringify(sameAs)}`);
    }
    return {
      outcome: { accepted: true },
      message: `tokens ${JSON.stringify(result.tokens)}`,
      resultProblems: problems,
    };
  });
}

export function driveOpenAI(bad: Case<'openai'>, context: MatrixContext): Promise<Observation> {
  return watched(context, async () => {
    await context.facade.embeddings.createFromBody(bad.body);
    return { outcome: { accepted: true }, message: 'embedded', resultProblems: [] };
  });
}

export function driveRoute(bad: Case<'route'>, context: MatrixContext): Promise<Observation> {
  return watched(context, async () => {
    const reply = await request(context, bad.method, bad.path, bad.body);
    if (reply.status < 400) return { outcome: { accepted: true }, message: reply.json, resultProblems: [] };
    const body: unknown = JSON.parse(reply.json);
    const error = isRecord(body) && isRecord(body['error']) ? body['error'] : {};
    return {
      outcome: { refused: String(error['code']), status: reply.status, item: paramOf(error['param']) },
      message: String(error['message']),
      resultProblems: [],
    };
  });
}

/** One HTTP request through the route's decision and, when forwarded, the host's answer. */
async function request(
  context: MatrixContext,
  method: string,
  path: string,
  body: string,
): Promise<{ status: number; json: string }> {
  const endpoint = endpointOf(path, '/v1');
  if (!endpoint) throw new Error(`${path} is not a path of the route`);
  const decision = await decideRequest(endpoint, method, path, () => Promise.resolve(body));
  switch (decision.answer) {
    case 'preflight':
      return { status: 204, json: '' };
    case 'refuse':
      return {
        status: decision.status,
        json: JSON.stringify({ error: { code: decision.code, message: decision.message, param: null } }),
      };
    case 'forward':
      return answer(context.facade, decision.operation);
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}

/**
 * Runs one case and then the checks every engine surface shares: a refused call ran no batch,
 * and the next good request (through the same surface's entry) gives the baseline vector.
 */
async function watched(context: MatrixContext, run: () => Promise<Outcome>): Promise<Observation> {
  const batches = context.engine.metrics().batches;
  const seen = await run().catch((error: unknown): Outcome => refusal(error));
  const problems: string[] = [];
  if ('refused' in seen.outcome && context.engine.metrics().batches !== batches)
    problems.push('the refused call ran a batch');
  const next = await context.engine.embed([GOOD_TEXT]);
  if (!sameValues(next.vectors, context.baseline)) problems.push('the next good call gave another vector');
  const served = await request(
    context,
    'POST',
    '/v1/embeddings',
    JSON.stringify({ model: SERVED_AS, input: GOOD_TEXT }),
  );
  if (served.status !== 200 || !sameValues(embeddingOf(served.json), context.baseline))
    problems.push(`the next good request got ${served.status} ${served.json.slice(0, 200)}`);
  return {
    ...seen,
    afterwards: {
      ok: problems.length === 0,
      what: problems.length > 0 ? problems.join('; ') : 'next call: the same vector',
    },
  };
}

function paramOf(param: unknown): string | null | undefined {
  return typeof param === 'string' || param === null ? param : undefined;
}

function embeddingOf(json: string): number[] {
  const body: unknown = JSON.parse(json);
  const embedding: unknown =
    isRecord(body) && Array.isArray(body['data']) && isRecord(body['data'][0])
      ? body['data'][0]['embedding']
      : undefined;
  return Array.isArray(embedding) && embedding.every((value) => typeof value === 'number') ? embedding : [];
}

function refusal(error: unknown): Outcome {
  if (error instanceof OpenAIRequestError) {
    const outcome = { refused: error.code, status: error.status, item: error.param };
    return { outcome, message: error.message, resultProblems: [] };
  }
  if (error instanceof EmbedError)
    return { outcome: { refused: error.code, item: error.index }, message: error.message, resultProblems: [] };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { outcome: { refused: 'uncoded error' }, message, resultProblems: [] };
}

/** Problems with an accepted call's rows: each must be finite and of unit length (float32 rounding: 1e-5). */
function unitRows(result: EmbedBatchResult): string[] {
  const problems: string[] = [];
  for (let row = 0; row < result.tokens.length; row++) {
    const values = result.vectors.subarray(row * result.dimensions, (row + 1) * result.dimensions);
    const norm = Math.hypot(...values);
    if (!(Math.abs(norm - 1) <= 1e-5)) problems.push(`row ${row} has length ${norm}, not 1`);
  }
  return problems;
}

/** Exactly equal: one engine, one batch shape, the same CPU kernels give the same float32 values. */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((value, i) => value === b[i]);
}
