/** What both CLI commands share about their streams and their engine calls. */

/** Texts per engine call: bounds the memory of one call on huge inputs while the engine plans its batches. */
export const TEXTS_PER_CALL = 256;

/** Writes text and resolves once the stream took it (back-pressure on a slow stdout). */
export function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}

/**
 * A byte stream → its UTF-8 text, piece by piece (a character split across two chunks comes out
 * whole). A byte-order mark is kept: the readers drop it by the rule they share (`src/search/json-lines.ts`).
 */
export async function* decodeUtf8(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for await (const part of stream) yield typeof part === 'string' ? part : decoder.decode(part, { stream: true });
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
