/**
 * From the element's settings to a searchable index, in two steps the element may run apart:
 * openSource reads the source (a compact index with a lexical part is searchable by keyword
 * then), and prepareIndex loads (or joins) the shared model, then either checks a precomputed
 * index against that model or embeds a plain corpus here.
 */
import { EmbedError, type Embedder, type LoadProgress } from '../client/index.ts';
import { modelSourceFromText } from '../core/model-text.ts';
import { checkEntries } from '../search/corpus-file.ts';
import { buildFingerprint } from '../search/fingerprint.ts';
import { checkIndexFits, INDEX_POLICY, type SearchSource } from '../search/index-file.ts';
import type { IndexFingerprint } from '../protocol/search-data.ts';
import type { CompactFiles } from '../search/compact-index.ts';
import { CompactItemIndex } from './compact-item-index.ts';
import { ItemIndex, type WidgetIndex } from './item-index.ts';
import { loadSource } from './load-source.ts';
import { canonicalModelId } from './model-id.ts';
import { leaseSharedEmbedder, type EmbedderLease, type SharedEmbedderRequest } from './shared-embedder.ts';
import { indexDtype, type WidgetSettings } from './widget-attributes.ts';

export interface PreparedIndex {
  embedder: Embedder;
  /** The widget's hold on the shared model: released when the widget leaves or re-indexes. */
  lease: EmbedderLease;
  index: WidgetIndex;
  /** What the vectors depend on (the loaded model at the index's dimensions). */
  fingerprint: IndexFingerprint;
  /** 'index': vectors came precomputed; 'corpus': this tab embedded the texts. */
  mode: 'index' | 'corpus';
  /** The query task the index recommends, used when the element sets none. */
  indexInstruction: string | undefined;
}

/** What a widget can search before any model byte: the source, and a compact index's keyword part. */
export interface OpenedSource {
  source: SearchSource;
  /** `src`, or 'index(items)': how messages name the source. */
  name: string;
  /** A compact index (version 2), made once here and searched by keyword now and by vector later. */
  compact: CompactItemIndex | undefined;
}

/**
 * Reads the source and nothing else: no model is asked for.
 *
 * @example
 * await openSource(readSettings(get), undefined, signal, (line) => (status.textContent = line));
 * // { source: { kind: 'compact', head }, name: '/search/index.json', compact: CompactItemIndex(10 items, lexical) }
 * // throws EmbedError SOURCE_INVALID, ABORTED
 */
export async function openSource(
  settings: WidgetSettings,
  items: readonly unknown[] | undefined,
  signal: AbortSignal,
  report: (status: string) => void,
): Promise<OpenedSource> {
  if (items)
    return {
      source: { kind: 'corpus', items: checkEntries(items, 'index(items)') },
      name: 'index(items)',
      compact: undefined,
    };
  if (settings.src === undefined)
    throw new EmbedError(
      'SOURCE_INVALID',
      '<semantic-search> has no src: set src="index.json" (a file from `tabembed index`) or src="corpus.json" (a JSON array or JSONL of texts), or call index(items)',
    );
  report('Loading the search index…');
  const { source, files } = await loadSource(settings.src, signal);
  return {
    source,
    name: settings.src,
    compact: source.kind === 'compact' ? new CompactItemIndex(source.head, files) : undefined,
  };
}

/**
 * The model a widget loads for an opened source: the page's attributes, else what the index's
 * fingerprint names (its vectors came from that model). The load and the download size
 * (download-size.ts) both ask this, so the size shown is the size of what loads.
 * @throws EmbedError INVALID_OPTION when the index names a dtype this runtime does not know
 */
export function modelRequestOf(settings: WidgetSettings, { source, name }: OpenedSource): SharedEmbedderRequest {
  const stored = source.kind === 'index' ? source.index : source.kind === 'compact' ? source.head : undefined;
  const model = settings.model ?? (stored ? modelSourceFromText(stored.fingerprint.model) : undefined);
  const dtype = settings.dtype ?? (stored ? indexDtype(stored.fingerprint.dtype, name) : 'auto');
  return { model, dtype, device: settings.device };
}

/**
 * Loads (or joins) the shared model for an opened source and makes it searchable by vector.
 *
 * @example
 * await prepareIndex(readSettings(get), opened, signal, (line) => (status.textContent = line));
 * // { embedder, index: ItemIndex(12 items × 64), fingerprint, mode: 'index', indexInstruction: '…' }
 * // throws EmbedError INDEX_MISMATCH, INVALID_OPTION, MODEL_*, ABORTED
 */
export async function prepareIndex(
  settings: WidgetSettings,
  opened: OpenedSource,
  signal: AbortSignal,
  report: (status: string) => void,
): Promise<PreparedIndex> {
  report('Loading the model…');
  const lease = leaseSharedEmbedder(modelRequestOf(settings, opened), (event) => report(progressText(event)));
  try {
    return await indexWith(lease, opened, settings, signal, report);
  } catch (error) {
    lease.release();
    throw error;
  }
}

async function indexWith(
  lease: EmbedderLease,
  { source, name, compact }: OpenedSource,
  settings: WidgetSettings,
  signal: AbortSignal,
  report: (status: string) => void,
): Promise<PreparedIndex> {
  const embedder = await lease.embedder;
  if (signal.aborted) throw new EmbedError('ABORTED', 'superseded by a newer index()');
  const info = embedder.info();

  if (source.kind !== 'corpus') {
    const stored = source.kind === 'index' ? source.index : source.head;
    const dimensions = settings.dimensions ?? stored.fingerprint.dimensions;
    const fingerprint = buildFingerprint(info, dimensions, INDEX_POLICY);
    const base = document.baseURI;
    // Two spellings of one model folder are one model, compared (and named in a message) as the file spells it.
    const sameModel = canonicalModelId(stored.fingerprint.model, base) === canonicalModelId(info.model, base);
    checkIndexFits(
      stored.fingerprint,
      sameModel ? { ...fingerprint, model: stored.fingerprint.model } : fingerprint,
      name,
    );
    return {
      embedder,
      lease,
      index:
        source.kind === 'index'
          ? new ItemIndex(source.index.items, source.index.vectors, dimensions)
          : (compact ?? new CompactItemIndex(source.head, noFiles(name))),
      fingerprint,
      mode: 'index',
      indexInstruction: stored.instruction,
    };
  }
  const corpus = source.items;
  const dimensions = settings.dimensions ?? info.hiddenSize;
  report(`Embedding ${corpus.length} texts in this tab…`);
  const vectors = await embedder.embedDocuments(
    corpus.map((item) => item.text),
    { dimensions, signal, onBatch: ({ done, total }) => report(`Embedding texts in this tab: ${done} of ${total}`) },
  );
  const flat = new Float32Array(corpus.length * dimensions);
  vectors.forEach((vector, i) => flat.set(vector, i * dimensions));
  return {
    embedder,
    lease,
    index: new ItemIndex(corpus, flat, dimensions),
    fingerprint: buildFingerprint(info, dimensions, INDEX_POLICY),
    mode: 'corpus',
    indexInstruction: undefined,
  };
}

/** A compact head given without a place to fetch its shards from (only a `src` has one). */
function noFiles(name: string): CompactFiles {
  const refuse = (): Promise<never> =>
    Promise.reject(new EmbedError('SOURCE_INVALID', `${name}: a compact index's shards are read beside its src`));
  return { bytes: refuse, text: refuse };
}

/** The load's size is shown once the loader knows it (its first download event: HEAD / file sizes), never guessed. */
function progressText(event: LoadProgress): string {
  if (event.phase === 'download' && event.totalBytes) {
    const percent = Math.floor((100 * (event.totalLoaded ?? 0)) / event.totalBytes);
    return `Loading the model: ${percent}% of ${megabytes(event.totalBytes)}`;
  }
  if (event.phase === 'upload' && event.totalBytes) {
    const percent = Math.floor((100 * (event.totalLoaded ?? 0)) / event.totalBytes);
    return `Handing the model to the session: ${percent}% of ${megabytes(event.totalBytes)}`;
  }
  return event.phase === 'ready' ? 'Model loaded' : `Loading the model (${event.phase})…`;
}

/** A size as a reader takes it in: "3.4 MB", "420 MB" (decimal megabytes, as downloads are shown). */
export function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en')} MB`;
}
