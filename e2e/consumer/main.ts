// What a developer writes after `npm install tabembed`: the README's library example runs here.
import { createEmbedder, EmbedError } from 'tabembed';

const embedder = await createEmbedder({
  model: { url: '/models/qwen3-tiny/' },
  device: 'wasm',
  dtype: 'fp32',
});
const [cat, dog] = await embedder.embedDocuments(['The cat sleeps.', 'The dog barks.']); // Float32Array(64) each
const query = await embedder.embedQuery('where does the cat sleep?', { dimensions: 32 }); // Float32Array(32)

let invalid = '';
try {
  await embedder.embed(['fine', '']);
} catch (error) {
  if (error instanceof EmbedError) invalid = `${error.code} texts[${String(error.index)}]`;
}

const status = document.querySelector('#status');
if (status) status.textContent = 'ready';
Object.assign(window, {
  consumer: {
    documents: [Array.from(cat ?? []), Array.from(dog ?? [])],
    query: Array.from(query),
    invalid,
    info: embedder.info(),
  },
});
