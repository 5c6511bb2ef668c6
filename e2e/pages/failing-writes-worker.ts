/**
 * Test-only: the real embedding worker, on a disk that fails part-way through one file (worker
 * name `write-fails:<io|quota>:<file name>:<byte>`, e.g. `write-fails:io:onnx%2Fmodel_q4.onnx:10000000`).
 * Every sync-access-handle write to that file that would reach past the byte throws what
 * Chromium throws when the disk fails it (blink's FileSystemSyncAccessHandle::write):
 * `InvalidStateError` "Failed to write to the access handle" for an I/O error (`io`),
 * `QuotaExceededError` "No space available for this operation" for a full disk (`quota`), and
 * writes nothing. Earlier writes, other files and the manifest are left alone.
 */
// Static import, so that Comlink's first message finds a listener (see small-quota-worker.ts).
import '../../workers/embed.worker.ts';

const FAILURES = {
  io: ['Failed to write to the access handle', 'InvalidStateError'],
  quota: ['No space available for this operation', 'QuotaExceededError'],
} as const;

const [, how, file, byte] = /^write-fails:(io|quota):(.+):(\d+)$/.exec(self.name) ?? [];
if ((how === 'io' || how === 'quota') && file && byte) {
  const [message, name] = FAILURES[how];
  const limit = Number(byte);
  const proto = FileSystemFileHandle.prototype;
  const open = Object.getOwnPropertyDescriptor(proto, 'createSyncAccessHandle')?.value as (
    this: FileSystemFileHandle,
  ) => Promise<FileSystemSyncAccessHandle>;
  Object.defineProperty(proto, 'createSyncAccessHandle', {
    async value(this: FileSystemFileHandle) {
      const access = await open.call(this);
      if (this.name !== file) return access;
      const write = access.write.bind(access);
      // The cache always says where it writes (`at`); a write without it would start at the cursor.
      Object.defineProperty(access, 'write', {
        value(buffer: AllowSharedBufferSource, options?: FileSystemReadWriteOptions): number {
          if ((options?.at ?? 0) + buffer.byteLength > limit) throw new DOMException(message, name);
          return write(buffer, options);
        },
      });
      return access;
    },
  });
}
