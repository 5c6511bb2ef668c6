/**
 * onnx-proto is a CommonJS protobufjs module (`module.exports = $root`): Node's ESM loader
 * cannot see `onnx` as a named export, so import the default and take the namespace from it.
 * Kept separate from scripts/fixture's copy on purpose: the reference shares no code with
 * the generator it checks.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
