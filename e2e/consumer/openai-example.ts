// The README's OpenAI example runs here, as a developer would write it after `npm install tabembed openai`.
import OpenAI from 'openai';
import { createEmbedder, openAIFacade, serveEmbeddingsRoute } from 'tabembed';

const embedder = await createEmbedder({ model: { url: '/models/qwen3-tiny/' }, device: 'wasm', dtype: 'fp32' });
const openai = openAIFacade(embedder);
const inPage = await openai.embeddings.create({
  model: 'qwen3-tiny',
  input: ['The cat sleeps.', 'The dog barks.'],
  dimensions: 32,
});
// { object: 'list', data: [{ object: 'embedding', index: 0, embedding: number[32] }, …], model: 'qwen3-tiny', usage: { prompt_tokens, total_tokens } }

// The same API over HTTP on this origin, answered inside the tab by the package's service worker
// (tabembed/embeddings-sw.js, copied to the site's root so that its scope covers the pages):
serveEmbeddingsRoute(embedder); // this tab hosts the model
await navigator.serviceWorker.register('/embeddings-sw.js', { type: 'module' });
if (!navigator.serviceWorker.controller)
  await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
const client = new OpenAI({ baseURL: `${location.origin}/v1`, apiKey: 'local', dangerouslyAllowBrowser: true });
const overHttp = await client.embeddings.create({
  model: 'qwen3-tiny',
  input: ['The cat sleeps.', 'The dog barks.'],
  dimensions: 32,
});
// Queries get Qwen3's instruction prompt through a non-standard field (a variable, so TypeScript lets it through):
const queryRequest = { model: 'qwen3-tiny', input: 'where does the cat sleep?', input_type: 'query' };
const query = await client.embeddings.create(queryRequest);

const status = document.querySelector('#status');
if (status) status.textContent = 'ready';
Object.assign(window, { example: { inPage, overHttp, query } });
