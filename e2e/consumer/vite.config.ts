// The consumer's own build, as plain as a new Vite project's: nothing here knows about tabembed.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
