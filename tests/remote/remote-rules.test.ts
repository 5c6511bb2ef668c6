/** The remote provider's pure rules: Retry-After, error bodies, base URLs. */
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/remote/dialects.ts';
import { endpointUrl } from '../../src/remote/remote-options.ts';
import { retryAfterMs } from '../../src/remote/retry.ts';

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads delta-seconds and HTTP dates, and leaves an unreadable one to the backoff', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:59 GMT');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(1000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe("each engine's error body", () => {
  it('gives the message and type of the OpenAI, vLLM/SGLang flat and TEI shapes', () => {
    expect(errorMessage('{"error":{"message":"bad model","type":"NotFoundError","param":null,"code":404}}')).toBe(
      'bad model (NotFoundError)',
    );
    expect(errorMessage('{"object":"error","message":"too long","type":"BadRequestError","code":400}')).toBe(
      'too long (BadRequestError)',
    );
    expect(errorMessage('{"message":"batch size 40 > 32","code":413,"type":"Validation"}')).toBe(
      'batch size 40 > 32 (Validation)',
    );
    expect(errorMessage('{"error":"Input validation error","error_type":"Validation"}')).toBe(
      'Input validation error (Validation)',
    );
    expect(errorMessage('<html>502 Bad Gateway</html>')).toBe('<html>502 Bad Gateway</html>');
  });
});

describe('base URLs', () => {
  it('reach /v1/embeddings with or without /v1, and are recorded without their query; credentials are refused', () => {
    expect(endpointUrl('http://gpu:8000')).toEqual({
      url: 'http://gpu:8000/v1/embeddings',
      baseURL: 'http://gpu:8000/',
    });
    expect(endpointUrl('https://host/v1/?token=x')).toEqual({
      url: 'https://host/v1/embeddings?token=x',
      baseURL: 'https://host/v1/',
    });
    expect(() => endpointUrl('https://user:secret@host/v1')).toThrow(/pass the key as remote\.apiKey/);
  });
});
