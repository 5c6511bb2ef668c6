import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { checkQuota } from '../../src/model/quota.ts';

describe('checkQuota (5% headroom)', () => {
  it('lets a download through when it fits with 5% to spare', () => {
    expect(() => checkQuota(1_000_000, 2_000_000)).not.toThrow();
    // Exactly needed × 1.05 available still fits.
    expect(() => checkQuota(1_000_000, 1_050_000)).not.toThrow();
  });

  it('refuses a download that fits only without the headroom with QUOTA_EXCEEDED', () => {
    expect(() => checkQuota(1_000_000, 1_049_999)).toThrow(expect.objectContaining({ code: 'QUOTA_EXCEEDED' }));
    expect(() => checkQuota(1_000_000, 1_000_000)).toThrow(EmbedError);
  });

  it('does not guess when the browser does not say how much is available', () => {
    expect(() => checkQuota(10 ** 12, undefined)).not.toThrow();
  });

  it('lets nothing-to-download through even with no space left', () => {
    expect(() => checkQuota(0, 0)).not.toThrow();
  });

  it('names both numbers, in MB and in bytes, and what to do', () => {
    expect(() => checkQuota(600_000_000, 512_345_678)).toThrow(
      'the model needs 600.0 MB (600000000 bytes) of storage but this site may store only 512.3 MB (512345678 bytes) more: free disk space, or delete other cached models',
    );
  });
});
