/**
 * The standalone route service worker (src/offline/embeddings-sw.ts) must build to ONE file with
 * no import statements: site owners host it as it is, and a module service worker's imports
 * would be more files to host at the right paths. Built here on its own, as a library entry.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'tabembed-embeddings-sw-'));
let files: string[] = [];
let code = '';

beforeAll(async () => {
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      lib: { entry: 'src/offline/embeddings-sw.ts', formats: ['es'], fileName: () => 'embeddings-sw.js' },
    },
  });
  files = readdirSync(outDir);
  code = readFileSync(join(outDir, 'embeddings-sw.js'), 'utf8');
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the standalone embeddings service worker', () => {
  it('builds to one file without imports or exports', () => {
    expect(files).toEqual(['embeddings-sw.js']);
    expect(code).not.toMatch(/(^|[;}\s])(import|export)\s*[\w{*'"`(]/);
  });

  it('holds the route and takes over its pages at once', () => {
    expect(code).toContain('tabembed.embeddings/request');
    expect(code).toContain('/embeddings');
    expect(code).toContain('skipWaiting');
    expect(code).toMatch(/clients\.claim\(\)/);
  });
});
