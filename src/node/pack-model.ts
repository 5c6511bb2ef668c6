import { createHash } from 'node:crypto';
import { existsSync, openAsBlob } from 'node:fs';
import { mkdir, open, readdir, readFile, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { DTYPES, isOneOf } from '../core/choices.ts';
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import { parseModelConfig } from '../core/model-config.ts';
import type { Dtype } from '../core/types.ts';
import { modelBytes } from '../engine/graph/model-bytes.ts';
import { scanModel } from '../engine/graph/onnx-model.ts';
import { packGraph, type PackedGraph } from '../engine/graph/pack-graph.ts';
import { MAX_EXTERNAL_DATA_CHUNKS, modelFiles } from '../model/dtype-files.ts';
import { PACK_CONFIG_KEY, PACK_MANIFEST, type PackedFile, type PackManifest } from '../model/pack-manifest.ts';

/** Cloudflare Pages' per-file limit, the smallest of the popular static hosts'. */
export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;

export interface PackOptions {
  /** Bytes; every file written is at most this. */
  maxFileSize?: number;
  /** The dtypes to pack (`q8`, `q4`, …); default every one whose graph the folder has. */
  dtypes?: readonly string[];
}

interface GraphPlan {
  dtype: Dtype;
  /** `onnx/model_q4.onnx` */
  graph: string;
  packed: PackedGraph;
}

/**
 * Writes a copy of the model folder `modelDir` (Hub layout) into `outDir` in which every file is
 * at most `maxFileSize` bytes (graph-by-graph plan: src/engine/graph/pack-graph.ts), the packed
 * `config.json` counts each graph's chunks (`use_external_data_format`) and names the manifest
 * (`tabembed-pack.json`: every file's path, size and sha256) the loader checks files against.
 * Every check runs before the first byte is written, so a refused pack leaves nothing behind.
 *
 * @example
 *   await packModel('public/models/qwen3-tiny', '/tmp/packed', { maxFileSize: 6 << 20, dtypes: ['q8'] });
 *   // /tmp/packed: config.json, tokenizer*.json, onnx/model_quantized.onnx (~240 KB),
 *   //   onnx/model_quantized.onnx_data … _data_6 (≤ 6 MiB each), tabembed-pack.json
 * @throws EmbedError MODEL_FILE_MISSING (no model folder), INVALID_OPTION (a bad limit, an unknown
 *   dtype, an out folder that is not empty, a file or tensor over the limit that cannot be split),
 *   DTYPE_UNAVAILABLE (a dtype the folder lacks)
 */
export async function packModel(modelDir: string, outDir: string, options: PackOptions = {}): Promise<PackManifest> {
  const root = resolve(modelDir);
  const out = resolve(outDir);
  const maxBytes = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new EmbedError('INVALID_OPTION', `--max-file-size must be a positive number of bytes, got ${maxBytes}`);
  if (!existsSync(join(root, 'config.json')))
    throw new EmbedError('MODEL_FILE_MISSING', `${root} is not a model folder: it has no config.json`);
  if (out === root || out.startsWith(root + sep))
    throw new EmbedError('INVALID_OPTION', `the out folder ${out} must lie outside the model folder ${root}`);
  if (existsSync(out) && (await readdir(out)).length > 0)
    throw new EmbedError('INVALID_OPTION', `the out folder ${out} is not empty: give a new or empty folder`);

  const config: unknown = JSON.parse(await readFile(join(root, 'config.json'), 'utf8'));
  const spec = parseModelConfig(config, join(root, 'config.json'));
  if (!isRecord(config)) throw new Error('unreachable: parseModelConfig accepted a non-object');
  const dtypes = chosenDtypes(root, options.dtypes, (dtype) => modelFiles(dtype, spec).graph);
  const plans: GraphPlan[] = [];
  for (const dtype of dtypes) {
    const graph = modelFiles(dtype, spec).graph;
    const name = graph.slice('onnx/'.length);
    const model = await scanModel(modelBytes(await openAsBlob(join(root, graph))));
    const packed = packGraph(model, name, maxBytes, (k) => chunkName(name, k));
    if (packed.graph.length > maxBytes)
      throw new EmbedError(
        'INVALID_OPTION',
        `${graph} without its weights is still ${packed.graph.length} bytes, over --max-file-size ${maxBytes}`,
      );
    if (packed.chunkSizes.length > MAX_EXTERNAL_DATA_CHUNKS)
      throw new EmbedError(
        'INVALID_OPTION',
        `${graph} would need ${packed.chunkSizes.length} chunks under --max-file-size ${maxBytes}; tabembed and transformers.js read at most ${MAX_EXTERNAL_DATA_CHUNKS}: raise the limit`,
      );
    await checkSources(root, packed);
    plans.push({ dtype, graph, packed });
  }
  const others = await otherFiles(root);
  for (const file of others) {
    if (file.size > maxBytes)
      throw new EmbedError(
        'INVALID_OPTION',
        `${file.path} is ${file.size} bytes, over --max-file-size ${maxBytes}, and is read whole (it cannot be split): raise the limit to at least ${file.size}`,
      );
  }

  const written: PackedFile[] = [];
  const write = async (path: string, bytes: Uint8Array): Promise<void> => {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), bytes);
    written.push({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  };
  for (const file of others) await write(file.path, await readFile(join(root, file.path)));
  const packedConfig = withPackedConfig(config, plans);
  if (packedConfig.length > maxBytes) throw new EmbedError('INVALID_OPTION', `config.json is over the limit`);
  await write('config.json', packedConfig);
  for (const plan of plans) {
    await write(plan.graph, plan.packed.graph);
    written.push(...(await writeChunks(root, out, plan)));
  }
  const manifest: PackManifest = {
    format: 'tabembed-pack',
    version: 1,
    tool: `tabembed ${packageJson.version} pack-model`,
    maxFileSize: maxBytes,
    files: written.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  await writeFile(join(out, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A size as people write it: `25MiB`, `2 MiB`, `500kB`, `1048576`. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  const bytes = match ? Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? Number.NaN)) : 0;
  if (!(bytes > 0))
    throw new EmbedError('INVALID_OPTION', `--max-file-size must be a size such as 25MiB or 26214400, got ${text}`);
  return bytes;
}

/** Hub naming for external data chunks (model/dtype-files.ts reads them back the same way). */
function chunkName(graphName: string, k: number): string {
  return `${graphName}_data${k === 0 ? '' : `_${k}`}`;
}

function chosenDtypes(root: string, asked: readonly string[] | undefined, graphOf: (dtype: Dtype) => string): Dtype[] {
  const present = (dtype: Dtype): boolean => existsSync(join(root, graphOf(dtype)));
  if (asked === undefined) {
    const found: Dtype[] = [];
    for (const dtype of DTYPES) if (present(dtype)) found.push(dtype);
    if (found.length === 0) throw new EmbedError('DTYPE_UNAVAILABLE', `${root}/onnx holds no graph of any dtype`);
    return found;
  }
  const dtypes: Dtype[] = [];
  for (const dtype of asked) {
    if (!isOneOf(DTYPES, dtype))
      throw new EmbedError('INVALID_OPTION', `--dtype ${dtype} is not one of ${DTYPES.join(', ')}`);
    if (!present(dtype))
      throw new EmbedError('DTYPE_UNAVAILABLE', `${join(root, graphOf(dtype))} (dtype ${dtype}) was not found`);
    dtypes.push(dtype);
  }
  if (dtypes.length === 0) throw new EmbedError('INVALID_OPTION', '--dtype names no dtype');
  return dtypes;
}

/** Every weight's source file exists and holds the bytes the graph says it does. */
async function checkSources(root: string, packed: PackedGraph): Promise<void> {
  const ends = new Map<string, number>();
  for (const copy of packed.copies.filter((c) => !c.bytes))
    ends.set(copy.from, Math.max(ends.get(copy.from) ?? 0, copy.offset + copy.length));
  for (const [from, end] of ends) {
    const size = (await stat(join(root, 'onnx', from)).catch(() => undefined))?.size;
    if (size === undefined)
      throw new EmbedError(
        'MODEL_FILE_MISSING',
        `${join(root, 'onnx', from)}, the graph's external data, was not found`,
      );
    if (size < end)
      throw new EmbedError(
        'MODEL_GRAPH_UNSUPPORTED',
        `${join(root, 'onnx', from)} is ${size} bytes; the graph reads up to ${end}`,
      );
  }
}

/** The folder's files outside `onnx/` (tokenizer, generation config, README), config.json apart. */
async function otherFiles(root: string): Promise<{ path: string; size: number }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: { path: string; size: number }[] = [];
  for (const entry of entries) {
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!entry.isFile() || path === 'config.json' || path === PACK_MANIFEST) continue;
    if (path.startsWith('onnx/') || path.split('/').some((part) => part.startsWith('.'))) continue;
    files.push({ path, size: (await stat(join(root, path))).size });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** config.json with each packed graph's chunk count, and the manifest named. */
function withPackedConfig(config: Record<string, unknown>, plans: readonly GraphPlan[]): Uint8Array {
  const jsConfig = isRecord(config['transformers.js_config']) ? config['transformers.js_config'] : {};
  const counts = Object.fromEntries(
    plans.map((plan) => [plan.graph.slice('onnx/'.length), plan.packed.chunkSizes.length] as const),
  );
  const packed = {
    ...config,
    'transformers.js_config': { ...jsConfig, use_external_data_format: counts },
    [PACK_CONFIG_KEY]: { manifest: PACK_MANIFEST },
  };
  return new TextEncoder().encode(`${JSON.stringify(packed, null, 2)}\n`);
}

/** Copies each weight into its chunk, zeros between (alignment), hashing as it writes. */
async function writeChunks(root: string, out: string, plan: GraphPlan): Promise<PackedFile[]> {
  const sources = new Map<string, FileHandle>();
  const files: PackedFile[] = [];
  try {
    for (const [k, size] of plan.packed.chunkSizes.entries()) {
      const path = `onnx/${chunkName(plan.graph.slice('onnx/'.length), k)}`;
      const hash = createHash('sha256');
      const target = await open(join(out, path), 'w');
      try {
        let at = 0;
        const put = async (bytes: Uint8Array): Promise<void> => {
          await target.write(bytes, 0, bytes.length, at);
          hash.update(bytes);
          at += bytes.length;
        };
        for (const copy of plan.packed.copies.filter((c) => c.chunk === k)) {
          await put(new Uint8Array(copy.at - at));
          if (copy.bytes) {
            await put(copy.bytes);
            continue;
          }
          let source = sources.get(copy.from);
          if (!source) {
            source = await open(join(root, 'onnx', copy.from));
            sources.set(copy.from, source);
          }
          const bytes = new Uint8Array(copy.length);
          const { bytesRead } = await source.read(bytes, 0, copy.length, copy.offset);
          if (bytesRead !== copy.length) throw new Error(`${copy.from} ended before byte ${copy.offset + copy.length}`);
          await put(bytes);
        }
        if (at !== size) throw new Error(`unreachable: chunk ${path} is ${at} bytes, planned ${size}`);
      } finally {
        await target.close();
      }
      files.push({ path, size, sha256: hash.digest('hex') });
    }
  } finally {
    for (const source of sources.values()) await source.close();
  }
  return files;
}
