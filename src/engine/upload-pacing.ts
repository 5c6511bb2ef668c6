/**
 * Pacing the weights' upload to WebGPU on the GPU queue (issue 17: bound the tab's memory while a
 * large model loads).
 *
 * Why: onnxruntime-web 1.30's loader (ort-wasm-simd-threaded.jspi.mjs, its upload hook) copies
 * each tensor read from our Blob into a mapped upload buffer (`mappedAtCreation`: shared memory
 * in Chromium), submits a copy into the tensor's buffer and destroys the upload buffer; the tab
 * lets go of that memory only once the GPU process has run the copy, and nothing in the loader
 * waits for it. On a slow queue (SwiftShader's, here) the reads outran the copies and the tab
 * grew by hundreds of MB (bench/load-4b-memory.md). Waiting for the queue every PACE_BYTES bounds
 * what is in flight to about PACE_BYTES plus one tensor.
 */
/** Bytes of weights handed to onnxruntime between two waits for the GPU queue. */
export const PACE_BYTES = 64 * 1024 * 1024;

/** Waits on the GPU queue once `everyBytes` more have been read since the last wait. */
export function queuePacer(
  device: { queue: Pick<GPUQueue, 'onSubmittedWorkDone'> },
  everyBytes: number,
): { read: (bytes: number) => void; pace: () => Promise<void> | undefined } {
  let since = 0;
  return {
    read: (bytes) => {
      since += bytes;
    },
    // Before a chunk is read: once enough went by, the read waits until the queue has run every
    // copy submitted so far (their upload buffers are let go), then counting starts again.
    pace: () => {
      if (since < everyBytes) return undefined;
      since = 0;
      return device.queue.onSubmittedWorkDone();
    },
  };
}
