import { EmbedError } from '../core/errors.ts';

/** What a loaded graph wants fed and gives back, read from its names instead of assumed. */
export interface GraphSignature {
  positionIds: boolean;
  /** `past_key_values.{i}.key|value` names, fed as empty tensors. */
  pastInputs: string[];
  /** Element type of the past inputs ('float32' or 'float16'). */
  pastType: 'float32' | 'float16';
  /** Element type of input_ids / attention_mask / position_ids: int64 in every export we know, int32 in some. */
  indexType: 'int64' | 'int32';
  /** The hidden-state output: `last_hidden_state`, else the graph's first output. */
  output: string;
  /** Outputs we do not need (present.*): not requested from the session. */
  ignoredOutputs: string[];
}

export interface GraphMetadata {
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Element type per input name where the runtime reports it. */
  inputTypes: ReadonlyMap<string, string>;
}

const REQUIRED_INPUTS = ['input_ids', 'attention_mask'];
const KNOWN_INPUTS = new Set([...REQUIRED_INPUTS, 'position_ids']);
const PAST = /^past_key_values\.\d+\.(key|value)$/;

export function readGraphSignature(graph: GraphMetadata, file: string): GraphSignature {
  const missing = REQUIRED_INPUTS.filter((name) => !graph.inputNames.includes(name));
  if (missing.length > 0) {
    throw new EmbedError(
      'MODEL_GRAPH_UNSUPPORTED',
      `${file} lacks the input(s) ${missing.join(', ')}; it has ${graph.inputNames.join(', ')}`,
    );
  }
  const unknown = graph.inputNames.filter((name) => !KNOWN_INPUTS.has(name) && !PAST.test(name));
  if (unknown.length > 0) {
    throw new EmbedError('MODEL_GRAPH_UNSUPPORTED', `${file} has input(s) tabembed cannot feed: ${unknown.join(', ')}`);
  }
  const output = graph.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : graph.outputNames[0];
  if (output === undefined) throw new EmbedError('MODEL_GRAPH_UNSUPPORTED', `${file} has no outputs`);
  const pastInputs = graph.inputNames.filter((name) => PAST.test(name));
  const pastType = pastInputs.some((name) => graph.inputTypes.get(name) === 'float16') ? 'float16' : 'float32';
  const indexType = graph.inputTypes.get('input_ids') === 'int32' ? 'int32' : 'int64';
  return {
    positionIds: graph.inputNames.includes('position_ids'),
    pastInputs,
    pastType,
    indexType,
    output,
    ignoredOutputs: graph.outputNames.filter((name) => name !== output),
  };
}
