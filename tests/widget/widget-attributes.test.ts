/**
 * The element's attributes as the widget reads them: defaults when absent or blank, URL or Hub id
 * for `model`, and INVALID_OPTION naming the attribute and the rule for a bad value.
 */
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { indexDtype, readSettings } from '../../src/widget/widget-attributes.ts';

const from =
  (attributes: Record<string, string>) =>
  (name: string): string | null =>
    attributes[name] ?? null;

describe('readSettings', () => {
  it('gives the defaults when no attribute is set, or only blanks', () => {
    const expected = {
      src: undefined,
      model: undefined,
      dtype: undefined,
      device: 'auto',
      dimensions: undefined,
      instruction: undefined,
      limit: 5,
      modelLoad: undefined,
      mode: 'inline',
      recent: true,
    };
    expect(readSettings(from({}))).toEqual(expected);
    expect(readSettings(from({ src: '  ', model: '', limit: ' ', 'model-load': ' ' }))).toEqual(expected);
  });

  it('reads a model base URL as { url } and anything else as a Hub id', () => {
    expect(readSettings(from({ model: '/models/qwen3-tiny/' })).model).toEqual({ url: '/models/qwen3-tiny/' });
    expect(readSettings(from({ model: 'https://cdn.example/m/' })).model).toEqual({ url: 'https://cdn.example/m/' });
    expect(readSettings(from({ model: ' onnx-community/Qwen3-Embedding-0.6B-ONNX ' })).model).toBe(
      'onnx-community/Qwen3-Embedding-0.6B-ONNX',
    );
  });

  it('takes whole numbers for dimensions and limit, and a known dtype and device', () => {
    expect(
      readSettings(
        from({ dimensions: '256', limit: '50', dtype: 'q4', device: 'wasm', instruction: 'Find FAQ entries' }),
      ),
    ).toMatchObject({
      dimensions: 256,
      limit: 50,
      dtype: 'q4',
      device: 'wasm',
      instruction: 'Find FAQ entries',
    });
  });

  it('reads model-load as one of its choices', () => {
    expect(readSettings(from({ 'model-load': ' manual ' })).modelLoad).toBe('manual');
    expect(readSettings(from({ 'model-load': 'idle' })).modelLoad).toBe('idle');
  });

  it('reads mode (inline by default) and recent (on by default)', () => {
    expect(readSettings(from({}))).toMatchObject({ mode: 'inline', recent: true });
    expect(readSettings(from({ mode: ' modal ', recent: 'off' }))).toMatchObject({ mode: 'modal', recent: false });
    expect(readSettings(from({ recent: 'on' })).recent).toBe(true);
  });

  it.each([
    [{ limit: '0' }, 'limit="0" on <semantic-search> is not a whole number from 1 to 50'],
    [{ limit: '51' }, 'limit="51"'],
    [{ limit: '2.5' }, 'limit="2.5"'],
    [{ dimensions: 'big' }, 'dimensions="big" on <semantic-search> is not a whole number from 1 to the model size'],
    [{ dtype: 'q3' }, 'dtype="q3" on <semantic-search> is not one of auto, fp32'],
    [{ device: 'gpu' }, 'device="gpu" on <semantic-search> is not one of auto, wasm, webgpu'],
    [
      { 'model-load': 'lazy' },
      'model-load="lazy" on <semantic-search> is not one of eager, idle, interaction, search, manual',
    ],
    [{ mode: 'popup' }, 'mode="popup" on <semantic-search> is not one of inline, modal'],
    [{ recent: 'no' }, 'recent="no" on <semantic-search> is not one of on, off'],
  ])('refuses %j with INVALID_OPTION naming it', (attributes, message) => {
    expect(() => readSettings(from(attributes))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining(message) }),
    );
    expect(() => readSettings(from(attributes))).toThrow(EmbedError);
  });
});

describe('indexDtype', () => {
  it("accepts a dtype tabembed loads, and refuses 'auto' or an unknown one as SOURCE_INVALID naming the file", () => {
    expect(indexDtype('q8', '/index.json')).toBe('q8');
    expect(() => indexDtype('auto', '/index.json')).toThrow(
      expect.objectContaining({
        code: 'SOURCE_INVALID',
        message: expect.stringContaining('/index.json: "fingerprint.dtype" is "auto"'),
      }),
    );
    expect(() => indexDtype('int3', '/index.json')).toThrow(expect.objectContaining({ code: 'SOURCE_INVALID' }));
  });
});
