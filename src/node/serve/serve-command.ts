import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createNodeEmbedder } from '../node-embedder.ts';
import type { ServeCommand } from './serve-args.ts';
import { startServer } from './server.ts';

/**
 * `tabembed serve`: listens at once (`/health` 503 while the model loads), serves until SIGTERM
 * or SIGINT, then drains: new requests get 503, received ones finish, the model is released,
 * and the promise resolves (the CLI exits 0). A second signal exits at once with 130. A model
 * that fails to load rejects with its EmbedError (the CLI exits 1).
 */
export async function runServeCommand(command: ServeCommand, log: NodeJS.WritableStream): Promise<void> {
  const say = (line: string): void => void log.write(`tabembed serve: ${line}\n`);
  const engine = createNodeEmbedder({
    model: command.model,
    dtype: command.dtype,
    backend: command.backend,
    ...(command.maxTokens === undefined ? {} : { maxTokens: command.maxTokens }),
    ...(command.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: command.idleTimeoutMs }),
  });
  // Handled here and through `ready`: a load that fails before anyone awaits it is not "unhandled".
  engine.catch(() => undefined);
  const modelId = command.modelId ?? (isFolder(command.model) ? basename(resolve(command.model)) : undefined);
  const server = await startServer({
    engine,
    ...(modelId === undefined ? {} : { modelId }),
    host: command.host,
    port: command.port,
    maxQueue: command.maxQueue,
    batching: command.batching,
  });
  say(`listening on ${server.url}, loading ${command.model}`);

  let signalled: (signal: NodeJS.Signals) => void = () => undefined;
  const stop = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say(`${signal} again: exiting without finishing the requests in flight`);
      process.exit(130);
    }
    stopping = true;
    signalled(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const loaded = await Promise.race([server.ready.then(() => true), stop.then(() => false)]);
    if (loaded) {
      const info = (await engine).info();
      say(
        `ready: ${info.model} (${info.dtype}, ${info.device}, ${info.hiddenSize} dimensions, token budget ${info.tokenBudget}, batching ${command.batching ? 'on' : 'off'})`,
      );
    }
    const signal = await stop;
    say(`${signal}: draining (new requests get 503)`);
    await server.drain();
    await (await engine).dispose();
    say('drained; exiting');
  } catch (error) {
    await server.drain();
    throw error;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function isFolder(model: string): boolean {
  return !/^https?:\/\//.test(model) && existsSync(model);
}
