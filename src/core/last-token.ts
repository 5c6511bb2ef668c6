/**
 * Last-token pooling: the vector of a text is the hidden state at the final position, which
 * left padding makes the `<|endoftext|>` token of every row.
 *
 * Accepts either the full `[rows, length, hidden]` state or an already-gathered `[rows, hidden]`
 * one (a graph that gathers the last position itself), and copies each row out. Works on raw
 * float16 bits too, so only the pooled rows need converting.
 */
export function lastTokenRows<T extends Float32Array | Uint16Array>(data: T, dims: readonly number[]): T[] {
  const [rows, length, hidden] =
    dims.length === 3 ? [dims[0] ?? 0, dims[1] ?? 0, dims[2] ?? 0] : [dims[0] ?? 0, 1, dims[1] ?? 0];
  if (dims.length !== 2 && dims.length !== 3)
    throw new Error(`hidden state must be rank 2 or 3, got [${dims.join(', ')}]`);
  if (data.length !== rows * length * hidden)
    throw new Error(`hidden state holds ${data.length} values, expected ${rows}×${length}×${hidden}`);
  const out: T[] = [];
  for (let row = 0; row < rows; row++) {
    const start = (row * length + length - 1) * hidden;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- slice() of a Float32Array or Uint16Array returns the same kind; TS types it as the base class
    out.push(data.slice(start, start + hidden) as T);
  }
  return out;
}
