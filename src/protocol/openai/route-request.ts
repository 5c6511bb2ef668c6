/**
 * What the embeddings route (and `tabembed serve`) does with a request before the model sees it: answer a preflight,
 * refuse a method the path does not take or a body that is not JSON, or carry one operation to
 * a hosting tab, which checks the body itself (`parseCreateRequest`). Pure (no service worker
 * types), so Node tests check it.
 */
import type { RouteOperation } from '../embeddings-route.ts';
import type { Endpoint } from './route-paths.ts';

/** A refusal the service worker sends itself, in OpenAI's error shape. */
export interface RouteRefusal {
  answer: 'refuse';
  status: 400 | 405;
  code: 'method_not_allowed' | 'invalid_json';
  message: string;
  headers: Record<string, string>;
}

export type RouteDecision =
  { answer: 'preflight'; allow: string } | RouteRefusal | { answer: 'forward'; operation: RouteOperation };

/**
 * @example
 * await decideRequest({ kind: 'embeddings' }, 'GET', '/v1/embeddings', readBody);
 * // { answer: 'refuse', status: 405, code: 'method_not_allowed', message: 'GET is not allowed on /v1/embeddings: use POST', headers: { Allow: 'POST, OPTIONS' } }
 * await decideRequest({ kind: 'embeddings' }, 'POST', '/v1/embeddings', async () => '{"model":"m","input":"a"}');
 * // { answer: 'forward', operation: { name: 'embeddings.create', body: { model: 'm', input: 'a' } } }
 */
export async function decideRequest(
  endpoint: Endpoint,
  method: string,
  pathname: string,
  readBody: () => Promise<string>,
): Promise<RouteDecision> {
  const allowed = endpoint.kind === 'embeddings' ? ['POST', 'OPTIONS'] : ['GET', 'OPTIONS'];
  const allow = allowed.join(', ');
  if (method === 'OPTIONS') return { answer: 'preflight', allow };
  if (!allowed.includes(method)) {
    return {
      answer: 'refuse',
      status: 405,
      code: 'method_not_allowed',
      message: `${method} is not allowed on ${pathname}: use ${allowed[0]}`,
      headers: { Allow: allow },
    };
  }
  if (endpoint.kind !== 'embeddings') {
    const operation: RouteOperation =
      endpoint.kind === 'models' ? { name: 'models.list' } : { name: 'models.retrieve', id: endpoint.id };
    return { answer: 'forward', operation };
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody());
  } catch {
    return {
      answer: 'refuse',
      status: 400,
      code: 'invalid_json',
      message: 'the request body is not valid JSON: send {"model": …, "input": …} with Content-Type: application/json',
      headers: {},
    };
  }
  return { answer: 'forward', operation: { name: 'embeddings.create', body } };
}
