import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenAIRequestError } from '../../protocol/openai/openai-error.ts';

/**
 * Largest request body read: OpenAI's own limits (2,048 inputs of up to 8,192 tokens) at a few
 * bytes per token come to tens of MB; past this the body is refused before it is buffered.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The request body as text, or 413 `body_too_large` in OpenAI's error shape before more than `limit` bytes are held. */
export async function readBodyText(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw bodyTooLarge(declared, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    if (!Buffer.isBuffer(chunk)) continue;
    size += chunk.length;
    if (size > limit) throw bodyTooLarge(size, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function bodyTooLarge(bytes: number, limit: number): OpenAIRequestError {
  return new OpenAIRequestError(
    413,
    'body_too_large',
    null,
    `the request body is ${bytes} bytes or more, over this server's ${limit}: send the inputs in several requests`,
  );
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

export function sendError(
  response: ServerResponse,
  error: OpenAIRequestError,
  headers: Record<string, string> = {},
): void {
  sendJson(response, error.status, error.body, headers);
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  // The client may be gone (a dropped request): nothing to write to.
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}
