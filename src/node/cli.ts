import { EmbedError } from '../core/errors.ts';
import {
  parseCliCommand,
  USAGE,
  UsageError,
  type CliCommand,
  type EmbedCommand,
  type PackCommand,
} from './cli-args.ts';
import { packModel, parseByteSize } from './pack-model.ts';
import { runIndexCommand } from './index-command.ts';
import { readInputItems, type InputItem } from './jsonl-input.ts';
import { TEXTS_PER_CALL, writeText } from './cli-io.ts';
import { parseServeCommand, type ServeCommand } from './serve/serve-args.ts';
import { runServeCommand } from './serve/serve-command.ts';
import { openCliProvider } from './cli-provider.ts';

export async function main(
  argv: readonly string[],
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  let parsed: CliCommand | { name: 'serve'; options: ServeCommand };
  try {
    parsed = argv[0] === 'serve' ? { name: 'serve', options: parseServeCommand(argv) } : parseCliCommand(argv);
  } catch (error) {
    process.stderr.write(`tabembed: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (parsed.name === 'index') await runIndexCommand(parsed.options, stdin, stdout, process.stderr);
    else if (parsed.name === 'serve') await runServeCommand(parsed.options, process.stderr);
    else if (parsed.name === 'pack-model') await runPackCommand(parsed.options, stdout);
    else await runEmbedCommand(parsed.options, stdin, stdout);
    return 0;
  } catch (error) {
    if (error instanceof EmbedError) process.stderr.write(`tabembed: ${error.code}: ${error.message}\n`);
    else if (error instanceof UsageError) process.stderr.write(`tabembed: ${error.message}\n${USAGE}\n`);
    else process.stderr.write(`tabembed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function runPackCommand(command: PackCommand, stdout: NodeJS.WritableStream): Promise<void> {
  const manifest = await packModel(command.modelDir, command.outDir, {
    ...(command.maxFileSize === undefined ? {} : { maxFileSize: parseByteSize(command.maxFileSize) }),
    ...(command.dtypes === undefined ? {} : { dtypes: command.dtypes }),
  });
  const largest = Math.max(...manifest.files.map((file) => file.size));
  const total = manifest.files.reduce((sum, file) => sum + file.size, 0);
  await writeText(
    stdout,
    `${manifest.files.length} files, ${total} bytes, the largest ${largest} bytes (limit ${manifest.maxFileSize}), in ${command.outDir}\n`,
  );
}

async function runEmbedCommand(
  command: EmbedCommand,
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
): Promise<void> {
  const provider = await openCliProvider(command);
  let chunk: InputItem[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const items = chunk;
    chunk = [];
    const result = await provider.embed(
      items.map((item) => item.text),
      { kind: command.kind, instruction: command.instruction, dimensions: command.dimensions },
    );
    const lines = items.map((item, i) => {
      const embedding = Array.from(result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions));
      // A remote engine counts tokens per request only: no per-line count rather than a made-up one.
      const tokens = result.tokens?.[i];
      return JSON.stringify(tokens === undefined ? { id: item.id, embedding } : { id: item.id, embedding, tokens });
    });
    await writeText(stdout, `${lines.join('\n')}\n`);
  };
  try {
    for await (const item of readInputItems(stdin)) {
      chunk.push(item);
      if (chunk.length >= TEXTS_PER_CALL) await flush();
    }
    await flush();
  } finally {
    await provider.dispose();
  }
}
