// The consumer's own build, as plain as a new multi-page Vite project's: nothing here knows about tabembed.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), openai: resolve(import.meta.dirname, 'openai.html') },
    },
  },
});
