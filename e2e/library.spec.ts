import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  loadReferenceModel,
  referenceEmbedding,
  referencePrompt,
  type ReferenceModel,
} from '../tests/reference/reference-embedding.ts';
import { FIXTURE_DIR, cosine } from './support/embedder-page.ts';
import { startStaticSite, type StaticSite } from './support/static-site.ts';

/*
 * The npm package as a developer gets it: `npm pack` of this checkout (the files a registry
 * would serve, nothing else), unpacked into e2e/consumer/node_modules/tabembed, then
 *  1. a Vite app (e2e/consumer) typechecks against the package's declarations, builds with its
 *     own plain config, and embeds texts from its own dist, served by a static server;
 *  2. a plain page with one `<script type="module">` imports the same files from a CDN-like
 *     path (/cdn/tabembed@0.1.0/), with no bundler and no import map.
 * Vectors are checked against the independent float64 reference at fp32: cos ≥ 0.99999, the
 * bound of the embedder spec (float32 rounding only; a wrong prompt, padding or pooling gives
 * cosines far below).
 */
const ROOT = resolve(import.meta.dirname, '..');
const CONSUMER = resolve(ROOT, 'e2e/consumer');
const INSTALLED = resolve(CONSUMER, 'node_modules/tabembed');
const VERSION = '0.1.0';

let reference: ReferenceModel;
let app: StaticSite;
let plain: StaticSite;
let cdn: StaticSite;

test.describe('library', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    test.setTimeout(5 * 60_000);
    if (!existsSync(resolve(ROOT, 'dist/lib/index.js')))
      throw new Error('dist/lib is not built: run `npm run build:lib` first (npm test does)');
    installPackedPackage();
    // The consumer's strict typecheck, against the declarations the package ships.
    execFileSync(resolve(ROOT, 'node_modules/.bin/tsc'), ['-p', join(CONSUMER, 'tsconfig.json')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    execFileSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--config', join(CONSUMER, 'vite.config.ts')], {
      cwd: CONSUMER,
      stdio: 'inherit',
    });
    reference = await loadReferenceModel(FIXTURE_DIR, 'model.onnx');
    // The site's root holds the package's service worker, as the README tells a site owner to put it.
    app = await startStaticSite({
      mounts: {
        '/': 'e2e/consumer/dist',
        '/models/': 'public/models',
        '/embeddings-sw.js': join(INSTALLED, 'dist/lib/embeddings-sw.js'),
      },
    });
    plain = await startStaticSite({
      mounts: { '/': 'e2e/sites/plain', [`/cdn/tabembed@${VERSION}/`]: INSTALLED, '/models/': 'public/models' },
    });
    // Another port is another origin: a CDN as jsDelivr is one, with CORS and CORP open.
    cdn = await startStaticSite({
      mounts: { [`/tabembed@${VERSION}/`]: INSTALLED },
      headers: () => ({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }),
    });
  });

  test.afterAll(async () => {
    await app?.close();
    await plain?.close();
    await cdn?.close();
  });

  test('library: a Vite app that installs the packed package embeds texts from its own build', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.origin}/`);
    await expect(page.locator('#status')).toHaveText('ready', { timeout: 120_000 });
    const result = await page.evaluate(
      () =>
        (
          window as unknown as {
            consumer: {
              documents: number[][];
              query: number[];
              invalid: string;
              info: { device: string; dtype: string };
            };
          }
        ).consumer,
    );
    expect(errors).toEqual([]);
    expect(result.info).toMatchObject({ device: 'wasm', dtype: 'fp32' });
    expect(result.documents[0]).toHaveLength(64);
    expect(result.query).toHaveLength(32);
    expect(
      cosine(result.documents[0] ?? [], referenceEmbedding(reference, referencePrompt('The cat sleeps.'))),
    ).toBeGreaterThanOrEqual(0.99999);
    expect(
      cosine(result.documents[1] ?? [], referenceEmbedding(reference, referencePrompt('The dog barks.'))),
    ).toBeGreaterThanOrEqual(0.99999);
    const query = referenceEmbedding(
      reference,
      referencePrompt('where does the cat sleep?', {
        instruction: 'Given a web search query, retrieve relevant passages that answer the query',
      }),
      32,
    );
    expect(cosine(result.query, query)).toBeGreaterThanOrEqual(0.99999);
    // The error class and code survive the package boundary.
    expect(result.invalid).toBe('INVALID_INPUT texts[1]');

    // Everything came from the consumer's own build: its bundler copied the worker and
    // onnxruntime's files (hashed twice: once by our build, once by theirs). Chromium has JSPI,
    // so the worker fetched that build's glue and wasm, and no other build's.
    const paths = app.requests().map((r) => r.path);
    expect(paths.some((p) => /^\/assets\/embed\.worker-[\w-]+\.js$/.test(p))).toBe(true);
    expect(
      [
        ...new Set(
          paths.filter((p) => p.includes('/ort-wasm-')).map((p) => p.replace(/-[\w-]+(\.m?js|\.wasm)$/, '-#$1')),
        ),
      ].sort(),
    ).toEqual(['/assets/ort-wasm-simd-threaded.jspi-#.mjs', '/assets/ort-wasm-simd-threaded.jspi-#.wasm']);
    expect(app.requests().filter((r) => r.status !== 200 && r.path !== '/favicon.ico')).toEqual([]);
  });

  test("library: the README's OpenAI example answers the official client over /v1 through the package's own service worker", async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.origin}/openai.html`);
    await expect(page.locator('#status')).toHaveText('ready', { timeout: 120_000 });
    type List = {
      object: string;
      model: string;
      data: { object: string; index: number; embedding: number[] }[];
      usage: { prompt_tokens: number; total_tokens: number };
    };
    const { inPage, overHttp, query } = await page.evaluate(
      () => (window as unknown as { example: { inPage: List; overHttp: List; query: List } }).example,
    );
    expect(errors).toEqual([]);
    expect(overHttp).toMatchObject({ object: 'list', model: 'qwen3-tiny', usage: inPage.usage });
    expect(overHttp.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 32],
      ['embedding', 1, 32],
    ]);
    // The client asked for base64 (its default) and decoded it: the same float32 values as the facade's, to float32 rounding.
    overHttp.data.forEach((d, i) =>
      d.embedding.forEach((v, j) =>
        expect(Math.abs(v - (inPage.data[i]?.embedding[j] ?? NaN))).toBeLessThanOrEqual(1e-6),
      ),
    );
    expect(
      cosine(overHttp.data[0]?.embedding ?? [], referenceEmbedding(reference, referencePrompt('The cat sleeps.'), 32)),
    ).toBeGreaterThanOrEqual(0.99999);
    const task = 'Given a web search query, retrieve relevant passages that answer the query';
    expect(
      cosine(
        query.data[0]?.embedding ?? [],
        referenceEmbedding(reference, referencePrompt('where does the cat sleep?', { instruction: task })),
      ),
    ).toBeGreaterThanOrEqual(0.99999);
    // The service worker came from the site's root, and no /v1 request reached the server.
    expect(app.requests().some((r) => r.path === '/embeddings-sw.js' && r.status === 200)).toBe(true);
    expect(app.requests().filter((r) => r.path.startsWith('/v1'))).toEqual([]);
  });

  for (const where of ['a path of the same site', 'another origin'] as const) {
    test(`library: a plain <script type="module"> page imports the package from a CDN on ${where}`, async ({
      page,
    }) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const base = where === 'another origin' ? `${cdn.origin}/tabembed@${VERSION}/` : `/cdn/tabembed@${VERSION}/`;
      await page.goto(`${plain.origin}/?cdn=${encodeURIComponent(base)}`);
      await expect(page.locator('#status')).toHaveText('ready', { timeout: 120_000 });
      const result = await page.evaluate(
        () => (window as unknown as { plain: { vector: number[]; info: { device: string } } }).plain,
      );
      expect(errors).toEqual([]);
      expect(result.info.device).toBe('wasm');
      expect(
        cosine(result.vector, referenceEmbedding(reference, referencePrompt('The cat sleeps.'))),
      ).toBeGreaterThanOrEqual(0.99999);
      // The package's files came from the CDN, the model from the site.
      const server = where === 'another origin' ? cdn : plain;
      const prefix = where === 'another origin' ? `/tabembed@${VERSION}/` : `/cdn/tabembed@${VERSION}/`;
      const fromCdn = server
        .requests()
        .filter((r) => r.path.startsWith(prefix))
        .map((r) => r.path.slice(prefix.length));
      expect(fromCdn).toEqual(
        expect.arrayContaining([
          'dist/lib/index.js',
          expect.stringMatching(/^dist\/lib\/assets\/embed\.worker-[\w-]+\.js$/),
          expect.stringMatching(/^dist\/lib\/assets\/ort-wasm-simd-threaded\.jspi-[\w-]+\.wasm$/),
        ]),
      );
      expect(fromCdn.filter((p) => p.includes('/ort-wasm-') && !p.includes('.jspi-'))).toEqual([]);
      expect(plain.requests().some((r) => r.path.startsWith('/models/qwen3-tiny/onnx/'))).toBe(true);
      expect(
        [...plain.requests(), ...cdn.requests()].filter((r) => r.status !== 200 && r.path !== '/favicon.ico'),
      ).toEqual([]);
    });
  }
});

/** `npm pack` this checkout and unpack it where the consumer's resolver looks: exactly the published files. */
function installPackedPackage(): void {
  const out = mkdtempSync(join(tmpdir(), 'tabembed-pack-'));
  try {
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, stdio: 'pipe' });
    const tarball = readdirSync(out).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${out}`);
    rmSync(INSTALLED, { recursive: true, force: true });
    mkdirSync(INSTALLED, { recursive: true });
    execFileSync('tar', ['-xzf', join(out, tarball), '-C', INSTALLED, '--strip-components=1']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
