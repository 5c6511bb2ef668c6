import { EmbedError } from '../core/errors.ts';

/** Room left after the download, so the browser does not evict us the moment we are done. */
const HEADROOM = 1.05;

/** Refuses a download that cannot fit, before its first byte, naming both numbers. */
export function checkQuota(neededBytes: number, availableBytes: number | undefined): void {
  if (availableBytes === undefined || neededBytes === 0) return;
  if (neededBytes * HEADROOM > availableBytes) {
    throw new EmbedError(
      'QUOTA_EXCEEDED',
      `the model needs ${mb(neededBytes)} of storage but this site may store only ${mb(availableBytes)} more: free disk space, or delete other cached models`,
    );
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB (${bytes} bytes)`;
}
