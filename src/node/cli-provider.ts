/**
 * Where the CLI's vectors come from: the local engine (`--model`), or a remote engine
 * (`--remote`), checked at open against `--model` when both are given. Both commands embed
 * through this one shape, so `embed` and `index` treat either the same way.
 */
import type { EmbedRequest } from '../core/types.ts';
import { createRemoteEmbedder } from '../remote/remote-embedder.ts';
import type { VectorSource } from '../search/fingerprint.ts';
import type { EmbedCommand, IndexCommand } from './cli-args.ts';
import { createNodeEmbedder } from './node-embedder.ts';

/** The environment variable the remote engine's API key is read from (never a flag: flags land in shell history and `ps`). */
export const REMOTE_API_KEY_ENV = 'TABEMBED_REMOTE_API_KEY';

export interface CliProvider {
  /** Row-major vectors; `tokens` per text from the local engine, undefined from a remote one (it gives only a total). */
  embed(
    texts: string[],
    request: EmbedRequest,
  ): Promise<{ vectors: Float32Array; dimensions: number; tokens: number[] | undefined }>;
  hiddenSize: number;
  /** The model an index names: the local model's, also for remote vectors proven to match it. */
  identity: { model: string; revision: string | undefined; dtype: string };
  source: VectorSource;
  /** A remote engine's vectors were proven by probe to match the local `--model`. */
  verified: boolean;
  dispose(): Promise<void>;
}

export async function openCliProvider(
  command: EmbedCommand | IndexCommand,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliProvider> {
  const local =
    command.model === undefined ? undefined : await createNodeEmbedder(localOptions(command, command.model));
  if (!command.remote) {
    if (!local) throw new Error('unreachable: the arguments require --model or --remote');
    const info = local.info();
    return {
      embed: async (texts, request) => local.embed(texts, request),
      hiddenSize: info.hiddenSize,
      identity: { model: info.model, revision: info.revision, dtype: info.dtype },
      source: { kind: 'local' },
      verified: false,
      dispose: () => local.dispose(),
    };
  }
  const { baseURL, model, engine } = command.remote;
  const remote = createRemoteEmbedder({
    baseURL,
    model,
    engine,
    ...(env[REMOTE_API_KEY_ENV] ? { apiKey: env[REMOTE_API_KEY_ENV] } : {}),
    ...(local ? { verifyAgainst: local } : {}),
  });
  try {
    await remote.verify();
  } finally {
    // The local model's only job was the probe.
    await local?.dispose();
  }
  const info = remote.info();
  const localInfo = local?.info();
  return {
    async embed(texts, request) {
      const rows = await remote.embed(texts, request);
      const dimensions = rows[0]?.length ?? 0;
      const vectors = new Float32Array(rows.length * dimensions);
      rows.forEach((row, i) => vectors.set(row, i * dimensions));
      return { vectors, dimensions, tokens: undefined };
    },
    hiddenSize: info.hiddenSize ?? 0,
    identity: localInfo
      ? { model: localInfo.model, revision: localInfo.revision, dtype: localInfo.dtype }
      : { model, revision: undefined, dtype: info.dtype },
    source: { kind: 'remote', baseURL: info.baseURL, engine, model, verified: local !== undefined },
    verified: local !== undefined,
    dispose: () => remote.dispose(),
  };
}

function localOptions(command: EmbedCommand | IndexCommand, model: string) {
  return {
    model,
    dtype: command.dtype,
    backend: command.backend,
    ...(command.maxTokens === undefined ? {} : { maxTokens: command.maxTokens }),
    ...(command.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: command.idleTimeoutMs }),
  };
}
