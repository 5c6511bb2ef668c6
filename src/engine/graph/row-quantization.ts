/**
 * Per-row activation quantisation for the q8 (`_quantized`, `_int8`, `_uint8`) exports.
 *
 * Why: onnxruntime's `quantize_dynamic` puts a `DynamicQuantizeLinear` before every
 * `MatMulInteger`. It takes ONE scale and zero point for the whole input tensor, i.e. for every
 * token of every text in the padded batch, so a text's vector depends on the texts embedded
 * beside it (issue 11: cos 0.99977 alone vs in a batch on the test model; an index built in
 * slices got different vectors). Here each such node becomes the same quantisation done per
 * row (per token): scale = max|x| / 127 over the row, q = round(x / scale) + 128 as uint8, zero
 * point 128. The downstream `Mul(scale, weight_scale)` broadcasts the [..., M, 1] scale over
 * the [..., M, N] product unchanged, so only the quantiser is replaced. Every row is then
 * quantised from its own values alone: the integer product is exact, and vectors no longer
 * depend on their batch-mates. On the test model it also moved q8 closer to fp32 (cos 0.99961
 * against 0.99954 per tensor), since one outlier token no longer coarsens every other token.
 *
 * Only a quantiser whose every use is checked is rewritten: its output feeds `MatMulInteger`
 * as the left operand (A, whose rows are tokens), its zero point only as A's zero point, and its
 * scale reaches the float result through `Mul`s alone. Anything else (an activation × activation
 * product, where the right operand's scale would have to be per column; a subgraph that may use
 * the names) keeps its per-tensor quantiser, and the report says how many did.
 */
import { consumersOf, type GraphNode, type ModelView } from './onnx-model.ts';
import { intAttribute, intsAttribute, nodeProto, tensorProto } from './onnx-build.ts';
import { DATA_TYPE } from './onnx-wire.ts';

export interface RowQuantizationPlan {
  perRow: GraphNode[];
  perTensor: { node: GraphNode; reason: string }[];
}

/** Clip with min/max inputs and Round need opset 11; ReduceMax takes `axes` as an input from 18. */
const MIN_OPSET = 13;
const AXES_AS_INPUT_OPSET = 18;

const isDefaultDomain = (node: GraphNode): boolean => node.domain === '' || node.domain === 'ai.onnx';
const isOp = (node: GraphNode, opType: string): boolean => node.opType === opType && isDefaultDomain(node);

export function planRowQuantization(model: ModelView): RowQuantizationPlan {
  const quantizers = model.nodes.filter((node) => isOp(node, 'DynamicQuantizeLinear'));
  const all = (reason: string): RowQuantizationPlan => ({
    perRow: [],
    perTensor: quantizers.map((node) => ({ node, reason })),
  });
  if (quantizers.length === 0) return { perRow: [], perTensor: [] };
  if (model.opset === undefined || model.opset < MIN_OPSET)
    return all(`the graph's opset ${model.opset ?? '(none)'} is below ${MIN_OPSET}`);
  if (model.nodes.some((node) => node.hasSubgraph))
    return all('the graph has subgraphs, whose uses of the quantised values are not checked');
  const uses = consumersOf(model.nodes);
  const plan: RowQuantizationPlan = { perRow: [], perTensor: [] };
  for (const node of quantizers) {
    const reason = whyNotPerRow(node, uses, model.outputs);
    if (reason === undefined) plan.perRow.push(node);
    else plan.perTensor.push({ node, reason });
  }
  return plan;
}

type Uses = ReadonlyMap<string, readonly { node: GraphNode; index: number }[]>;

function whyNotPerRow(node: GraphNode, uses: Uses, outputs: ReadonlySet<string>): string | undefined {
  const [input, quantized, scale, zeroPoint] = [node.inputs[0], ...node.outputs];
  if (input === undefined || quantized === undefined || scale === undefined || zeroPoint === undefined)
    return 'it lacks an input or one of its three outputs';
  if ([quantized, scale, zeroPoint].some((name) => outputs.has(name))) return 'one of its outputs is a graph output';
  const products = uses.get(quantized) ?? [];
  if (products.length === 0 || products.some(({ node: use, index }) => !isOp(use, 'MatMulInteger') || index !== 0)) {
    return 'its output is used other than as the left operand of MatMulInteger';
  }
  if (
    (uses.get(zeroPoint) ?? []).some(
      ({ node: use, index }) => !isOp(use, 'MatMulInteger') || index !== 2 || use.inputs[0] !== quantized,
    )
  ) {
    return 'its zero point is used other than as that operand’s zero point';
  }
  const floatProducts = new Set(
    products.flatMap(({ node: product }) =>
      (uses.get(product.outputs[0] ?? '') ?? [])
        .filter(({ node: use }) => isOp(use, 'Cast'))
        .map(({ node: cast }) => cast.outputs[0] ?? ''),
    ),
  );
  if (!reachesOnlyThroughMul(scale, floatProducts, uses, 2))
    return 'its scale is used other than to rescale the integer product';
  return undefined;
}

/**
 * Whether `value` (the activation scale) meets the cast integer product only through `Mul`s:
 * `Mul(cast, scale)` directly, or `Mul(cast, Mul(scale, weight_scale))`, up to `depth` Muls.
 * A [..., M, 1] scale broadcasts through any such chain of element-wise products.
 */
function reachesOnlyThroughMul(value: string, products: ReadonlySet<string>, uses: Uses, depth: number): boolean {
  const consumers = uses.get(value) ?? [];
  if (consumers.length === 0 || depth === 0) return false;
  return consumers.every(({ node: use, index }) => {
    if (!isOp(use, 'Mul')) return false;
    if (products.has(use.inputs[1 - index] ?? '')) return true;
    return reachesOnlyThroughMul(use.outputs[0] ?? '', products, uses, depth - 1);
  });
}

/** Names of the constants the rewritten quantisers share, added once per graph. */
const CONST = {
  tiny: 'tabembed/row_quantization/tiny',
  levels: 'tabembed/row_quantization/127',
  low: 'tabembed/row_quantization/-127',
  offset: 'tabembed/row_quantization/128',
  axes: 'tabembed/row_quantization/axes',
} as const;

/** Encoded NodeProtos that replace one DynamicQuantizeLinear, and the initializer for its zero point. */
export function perRowQuantizer(node: GraphNode, opset: number): { nodes: Uint8Array[]; initializers: Uint8Array[] } {
  const [x = '', [y = '', scale = '', zeroPoint = ''] = []] = [node.inputs[0], node.outputs];
  const at = (step: string): string => `${y}/row_quantization/${step}`;
  const axesAsInput = opset >= AXES_AS_INPUT_OPSET;
  const nodes = [
    nodeProto('Abs', [x], [at('abs')], at('Abs')),
    nodeProto('ReduceMax', axesAsInput ? [at('abs'), CONST.axes] : [at('abs')], [at('max')], at('ReduceMax'), [
      ...(axesAsInput ? [] : [intsAttribute('axes', [-1])]),
      intAttribute('keepdims', 1),
    ]),
    // An all-zero row would divide by zero; any positive scale quantises it to zeros exactly.
    nodeProto('Max', [at('max'), CONST.tiny], [at('max_nonzero')], at('Max')),
    nodeProto('Div', [at('max_nonzero'), CONST.levels], [scale], at('Scale')),
    nodeProto('Div', [x, scale], [at('scaled')], at('Div')),
    nodeProto('Round', [at('scaled')], [at('rounded')], at('Round')),
    // |x| ≤ max, so |x / scale| ≤ 127 up to rounding; the clip keeps + 128 inside uint8 regardless.
    nodeProto('Clip', [at('rounded'), CONST.low, CONST.levels], [at('clipped')], at('Clip')),
    nodeProto('Add', [at('clipped'), CONST.offset], [at('shifted')], at('Add')),
    nodeProto('Cast', [at('shifted')], [y], at('Cast'), [intAttribute('to', DATA_TYPE.UINT8)]),
  ];
  return { nodes, initializers: [tensorProto(zeroPoint, DATA_TYPE.UINT8, [], new Uint8Array([128]))] };
}

/**
 * The constants every rewritten quantiser reads. `axes` only where ReduceMax takes it as an
 * input: onnxruntime warns about an initializer no node reads, in every page's console.
 */
export function perRowConstants(opset: number): Uint8Array[] {
  const float = (name: string, value: number): Uint8Array =>
    tensorProto(name, DATA_TYPE.FLOAT, [], new Uint8Array(Float32Array.of(value).buffer));
  const constants = [
    float(CONST.tiny, 1e-30),
    float(CONST.levels, 127),
    float(CONST.low, -127),
    float(CONST.offset, 128),
  ];
  if (opset >= AXES_AS_INPUT_OPSET)
    constants.push(tensorProto(CONST.axes, DATA_TYPE.INT64, [1], new Uint8Array(BigInt64Array.of(-1n).buffer)));
  return constants;
}
