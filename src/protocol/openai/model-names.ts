import type { ModelObject } from '../openai-types.ts';
import { OpenAIRequestError } from './openai-error.ts';

/**
 * The names a request may give the loaded model. The engine's id for a URL source is the
 * absolute base URL (`http://localhost:5173/models/qwen3-tiny/`), which nobody wants to type
 * into a client's config, so the facade serves a short id and accepts a few spellings.
 */

export interface ModelNames {
  /** What `models.list()` shows and responses echo in `model`. */
  id: string;
  /** Every name a request may use: the id, the engine's own id, their last path segment, and the caller's aliases. */
  accepted: ReadonlySet<string>;
  owner: string;
  /** Who serves it, as error messages say it: `this tab` (the facade, the route) or `this server` (`tabembed serve`). */
  servedBy: string;
}

/**
 * `modelNames('onnx-community/Qwen3-Embedding-0.6B-ONNX')` → id the Hub id, owner `onnx-community`,
 * accepting also `Qwen3-Embedding-0.6B-ONNX`; `modelNames('http://h/models/qwen3-tiny/')` → id
 * `qwen3-tiny`, accepting also the URL. Names are compared exactly (case matters, as on the Hub).
 */
export function modelNames(
  engineId: string,
  options: { id?: string; aliases?: readonly string[]; servedBy?: string } = {},
): ModelNames {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(engineId);
  const id = options.id ?? (isUrl ? lastSegment(engineId) : engineId);
  const accepted = new Set(
    [id, engineId, lastSegment(id), lastSegment(engineId), ...(options.aliases ?? [])].filter(
      (name) => name.length > 0,
    ),
  );
  const owner = !isUrl && /^[^/\s]+\/[^/\s]+$/.test(engineId) ? (engineId.split('/')[0] ?? 'local') : 'local';
  return { id, accepted, owner, servedBy: options.servedBy ?? 'this tab' };
}

/** What `models.list()` and `models.retrieve()` answer; `created` is when serving began (the release date is unknown here). */
export function modelObject(model: ModelNames, created: number): ModelObject {
  return { id: model.id, object: 'model', created, owned_by: model.owner };
}

/** 404 for a name the model does not answer to, as a create body's `model` or a retrieve's id. */
export function modelNotFound(name: string, model: ModelNames, hint = ''): OpenAIRequestError {
  return new OpenAIRequestError(
    404,
    'model_not_found',
    'model',
    `The model \`${name}\` does not exist here: ${model.servedBy} serves "${model.id}"${hint}`,
  );
}

function lastSegment(name: string): string {
  const path = name.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}
