/** What both CLI commands share about their streams and their engine calls. */

/** Texts per engine call: bounds the memory of one call on huge inputs while the engine plans its batches. */
export const TEXTS_PER_CALL = 256;

/** Writes text and resolves once the stream took it (back-pressure on a slow stdout). */
export function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}
