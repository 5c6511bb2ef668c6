/**
 * `encoding_format: 'base64'` as OpenAI sends it: the vector's float32 values as little-endian
 * bytes, base64-encoded. The official client decodes it with `new Float32Array(bytes.buffer)`,
 * i.e. in the platform's byte order, which is little-endian on every engine that runs it.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** String.fromCharCode takes its bytes as arguments: keep each call well under engines' argument limits. */
const CHUNK = 0x8000;

/** `float32ToBase64(new Float32Array([1]))` → `'AACAPw=='` (bytes 00 00 80 3f). */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = LITTLE_ENDIAN ? new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength) : littleEndianBytes(vector);
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  return btoa(binary);
}

function littleEndianBytes(vector: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(vector.byteLength));
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return new Uint8Array(view.buffer);
}
