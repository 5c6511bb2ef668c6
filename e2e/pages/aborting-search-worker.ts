/**
 * Test-only: the real search worker, whose IndexedDB aborts a transaction in the middle of a
 * batch of vectors, as a full disk or a browser shutting the database does. The database's
 * name says when: in `db:<anything>-abort-at-<n>` the n-th vector this worker writes aborts its
 * transaction. (In the name, so the real worker opens the same database afterwards.)
 */
// Static import: the patch below is in place before Comlink's first message is handled.
import '../../workers/search.worker.ts';

const abortAt = Number(/-abort-at-(\d+)$/.exec(self.name)?.[1] ?? Number.NaN);
if (Number.isFinite(abortAt)) {
  let written = 0;
  const put = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'put')?.value as IDBObjectStore['put'];
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    const request = put.apply(this, args);
    if (this.name === 'vectors' && ++written === abortAt) this.transaction.abort();
    return request;
  };
}
