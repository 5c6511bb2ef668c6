/**
 * What the serve tests talk to the server with: the official `openai` client (no retries, so a
 * 429 or 503 is seen as it is), raw HTTP for what the client hides, and /metrics read into numbers.
 */
import OpenAI from 'openai';

export function client(url: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
}

/** POST /v1/embeddings with any body (a string is sent as it is): status, headers and parsed JSON. */
export async function postEmbeddings(
  url: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** Every sample of /metrics by its name and labels as written (`tabembed_batch_requests_bucket{le="1"}`). */
export async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** A sample's value, 0 when it is absent (a counter not yet incremented). */
export function value(samples: Map<string, number>, name: string): number {
  return samples.get(name) ?? 0;
}
