/**
 * Random access to a model file without holding all of it: bytes already in memory, or a Blob
 * (an OPFS file, a file the user picked) read a window at a time. The graph scan reads only the
 * small fields this way; the weights are left where they are and handed to onnxruntime by
 * reference (external-weights.ts), which then reads each tensor itself.
 */
export interface ModelBytes {
  readonly size: number;
  /** `length` bytes from `offset`; a view when the file is in memory. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** What onnxruntime is given as the external data file: the same bytes, or the same Blob. */
  readonly data: Uint8Array | Blob;
}

export function modelBytes(data: Uint8Array | Blob): ModelBytes {
  if (data instanceof Uint8Array) {
    return {
      size: data.length,
      data,
      read: (offset, length) => Promise.resolve(data.subarray(offset, Math.min(data.length, offset + length))),
    };
  }
  return {
    size: data.size,
    data,
    read: async (offset, length) =>
      new Uint8Array(await data.slice(offset, Math.min(data.size, offset + length)).arrayBuffer()),
  };
}

/** Reads ahead in windows, so many small fields in a row cost one read. */
export class WindowedReader {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    readonly file: ModelBytes,
    private readonly windowBytes = 1 << 16,
  ) {}

  /** `length` bytes from `offset` (fewer only at the end of the file). */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.file.size);
    if (offset < this.windowStart || end > this.windowStart + this.window.length) {
      this.windowStart = offset;
      this.window = await this.file.read(offset, Math.max(length, this.windowBytes));
    }
    return this.window.subarray(offset - this.windowStart, end - this.windowStart);
  }
}
