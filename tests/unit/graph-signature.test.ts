import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { readGraphSignature, type GraphMetadata } from '../../src/engine/graph-signature.ts';

const LAYERS = 28;
const PAST = Array.from({ length: LAYERS }, (_, i) => [
  `past_key_values.${i}.key`,
  `past_key_values.${i}.value`,
]).flat();
const PRESENT = Array.from({ length: LAYERS }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();

/** The input/output names of onnx-community/Qwen3-Embedding-0.6B-ONNX onnx/model.onnx. */
function realExport(pastType = 'float32'): GraphMetadata {
  const inputNames = ['input_ids', 'attention_mask', 'position_ids', ...PAST];
  return {
    inputNames,
    outputNames: ['last_hidden_state', ...PRESENT],
    inputTypes: new Map(inputNames.map((name) => [name, name.startsWith('past_') ? pastType : 'int64'])),
  };
}

describe('readGraphSignature', () => {
  it('reads the real 0.6B export: position ids, 56 past inputs, last_hidden_state, presents ignored', () => {
    const signature = readGraphSignature(realExport(), 'onnx/model.onnx');
    expect(signature.positionIds).toBe(true);
    expect(signature.pastInputs).toHaveLength(56);
    expect(signature.pastInputs[0]).toBe('past_key_values.0.key');
    expect(signature.pastInputs[55]).toBe('past_key_values.27.value');
    expect(signature.pastType).toBe('float32');
    expect(signature.output).toBe('last_hidden_state');
    expect(signature.ignoredOutputs).toEqual(PRESENT);
    expect(signature.ignoredOutputs).toHaveLength(56);
  });

  it('detects float16 past inputs (fp16 / q4f16 exports)', () => {
    expect(readGraphSignature(realExport('float16'), 'onnx/model_fp16.onnx').pastType).toBe('float16');
  });

  it('reads a graph with only input_ids and attention_mask: no past, no position ids', () => {
    const signature = readGraphSignature(
      { inputNames: ['input_ids', 'attention_mask'], outputNames: ['last_hidden_state'], inputTypes: new Map() },
      'onnx/model.onnx',
    );
    expect(signature).toEqual({
      positionIds: false,
      pastInputs: [],
      pastType: 'float32',
      indexType: 'int64',
      output: 'last_hidden_state',
      ignoredOutputs: [],
    });
  });

  it('feeds int32 ids to a graph that declares int32 input_ids (some exports do)', () => {
    const graph = {
      inputNames: ['input_ids', 'attention_mask'],
      outputNames: ['last_hidden_state'],
      inputTypes: new Map([['input_ids', 'int32']]),
    };
    expect(readGraphSignature(graph, 'onnx/model.onnx').indexType).toBe('int32');
  });

  it('falls back to the first output when there is no last_hidden_state', () => {
    const signature = readGraphSignature(
      {
        inputNames: ['input_ids', 'attention_mask'],
        outputNames: ['sentence_embedding', 'token_embeddings'],
        inputTypes: new Map(),
      },
      'm.onnx',
    );
    expect(signature.output).toBe('sentence_embedding');
    expect(signature.ignoredOutputs).toEqual(['token_embeddings']);
  });

  it('rejects a graph without attention_mask with MODEL_GRAPH_UNSUPPORTED naming it', () => {
    const read = (): unknown =>
      readGraphSignature(
        { inputNames: ['input_ids', 'position_ids'], outputNames: ['last_hidden_state'], inputTypes: new Map() },
        'onnx/model_q4.onnx',
      );
    expect(read).toThrow(EmbedError);
    expect(read).toThrow(
      expect.objectContaining({
        code: 'MODEL_GRAPH_UNSUPPORTED',
        message: 'onnx/model_q4.onnx lacks the input(s) attention_mask; it has input_ids, position_ids',
      }),
    );
  });

  it('rejects an input it cannot feed (token_type_ids) with MODEL_GRAPH_UNSUPPORTED', () => {
    expect(() =>
      readGraphSignature(
        {
          inputNames: ['input_ids', 'attention_mask', 'token_type_ids'],
          outputNames: ['last_hidden_state'],
          inputTypes: new Map(),
        },
        'm.onnx',
      ),
    ).toThrow(
      expect.objectContaining({ code: 'MODEL_GRAPH_UNSUPPORTED', message: expect.stringContaining('token_type_ids') }),
    );
  });

  it('rejects a graph with no outputs', () => {
    expect(() =>
      readGraphSignature(
        { inputNames: ['input_ids', 'attention_mask'], outputNames: [], inputTypes: new Map() },
        'm.onnx',
      ),
    ).toThrow(expect.objectContaining({ code: 'MODEL_GRAPH_UNSUPPORTED', message: 'm.onnx has no outputs' }));
  });
});
