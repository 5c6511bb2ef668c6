/**
 * Test-only: the real embedding worker, in a browser whose OPFS leaves one kind of call on one
 * file pending forever (worker name `stall:<method>:<file name>`, e.g.
 * `stall:getFile:onnx%2Fmodel_q4.onnx`). Chromium has done that by itself under load (see
 * src/model/blob-chunks.ts), but not on demand; this makes the fault happen every time.
 */
// Static import, so that Comlink's first message finds a listener (see small-quota-worker.ts).
import '../../workers/embed.worker.ts';

const [, method, file] = /^stall:(getFile|createSyncAccessHandle):(.+)$/.exec(self.name) ?? [];
if (method && file) {
  const proto = FileSystemFileHandle.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, method)?.value as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(proto, method, {
    value(this: FileSystemFileHandle, ...args: unknown[]) {
      return this.name === file ? new Promise(() => undefined) : original.apply(this, args);
    },
  });
}
