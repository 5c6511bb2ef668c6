/**
 * `tabembed index`: a corpus on stdin (JSONL or a JSON array), or a built site's pages (--site),
 * → one precomputed index on stdout,
 * for `<semantic-search src="index.json">`, or with --out a compact index (a head and shard
 * files, compact-index-file.ts) in a folder. Documents are embedded raw, as the browser would;
 * the fingerprint names the model as the page will load it (`--model-id`), so the widget can
 * tell whether its model makes comparable query vectors. With `--remote` the documents are
 * embedded on that engine; beside `--model` its probe vectors must match that model's first, and
 * the fingerprint then names the local model (the same space, proven) and records the engine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_INSTRUCTION } from '../core/prompt.ts';
import { looksLikeModelUrl } from '../core/model-text.ts';
import { resolveSource } from '../model/model-source.ts';
import { parseCorpusText } from '../search/corpus-file.ts';
import { buildFingerprint } from '../search/fingerprint.ts';
import { INDEX_POLICY, serializeIndex, type PrecomputedIndex } from '../search/index-file.ts';
import { writeCompactIndex } from '../search/compact-index-file.ts';
import type { IndexCommand } from './cli-args.ts';
import { decodeUtf8, TEXTS_PER_CALL, writeText } from './cli-io.ts';
import { openCliProvider } from './cli-provider.ts';
import { readSite } from './site/read-site.ts';

export async function runIndexCommand(
  command: IndexCommand,
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<void> {
  // The whole corpus first: a bad line fails before minutes of embedding, and the output is one JSON document anyway.
  const items = command.site
    ? await readSite(command.site.folder, command.site.baseUrl)
    : parseCorpusText(await readAll(stdin), '<stdin>');
  const provider = await openCliProvider(command);
  const { identity } = provider;
  if (
    command.modelId === undefined &&
    command.model !== undefined &&
    !looksLikeModelUrl(command.model) &&
    identity.revision === undefined
  ) {
    stderr.write(
      `tabembed: note: the index names the model "${command.model}", a folder on this machine; pass --model-id with the URL or Hub id the page loads it by, or set model="…" on the element\n`,
    );
  }
  if (command.remote && !provider.verified)
    stderr.write(
      `tabembed: note: the vectors come from ${command.remote.baseURL} unchecked; pass --model <the model the page loads> beside --remote so the engine's probe vectors are compared with it and the index names it\n`,
    );
  const dimensions = command.dimensions ?? provider.hiddenSize;
  const vectors = new Float32Array(items.length * dimensions);
  try {
    for (let start = 0; start < items.length; start += TEXTS_PER_CALL) {
      const slice = items.slice(start, start + TEXTS_PER_CALL);
      const result = await provider.embed(
        slice.map((item) => item.text),
        { kind: 'document', dimensions },
      );
      vectors.set(result.vectors, start * dimensions);
    }
  } finally {
    await provider.dispose();
  }
  const fingerprint = buildFingerprint(
    {
      model: command.modelId ?? identity.model,
      revision: revisionFor(command.modelId, identity.revision),
      dtype: identity.dtype,
    },
    dimensions,
    INDEX_POLICY,
    provider.source,
  );
  const index: PrecomputedIndex = {
    fingerprint,
    instruction: command.instruction ?? DEFAULT_INSTRUCTION,
    items,
    vectors,
  };
  if (command.compact === undefined) {
    await writeText(stdout, `${serializeIndex(index)}\n`);
    return;
  }
  const { out, encoding, shardRows, lexical } = command.compact;
  const { head, files } = writeCompactIndex(index, encoding, shardRows, 'index', lexical);
  await mkdir(out, { recursive: true });
  // Shards first, head last: a page never reads a head whose shards are not all there yet.
  for (const file of files) await writeFile(join(out, file.name), file.content);
  await writeFile(join(out, 'index.json'), `${head}\n`);
  stderr.write(
    `tabembed: wrote ${join(out, 'index.json')} and ${files.length} shard files (${encoding}, ${dimensions} dimensions)\n`,
  );
}

/**
 * The revision the page will see for `--model-id`: none for a URL, and for a Hub id the one the
 * browser resolves it to (the pinned default, else `main`), by the loader's own rule.
 */
function revisionFor(modelId: string | undefined, loaded: string | undefined): string | undefined {
  if (modelId === undefined) return loaded;
  return looksLikeModelUrl(modelId) ? undefined : resolveSource(modelId, undefined).revision;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of decodeUtf8(stream)) pieces.push(piece);
  return pieces.join('');
}
