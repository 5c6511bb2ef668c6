import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download fails on these
 * machines, see /work/shared/ENVIRONMENT.md). The app is built and served by `vite preview`, the
 * same files a user gets, with the test pages built beside it by their own config (vite.e2e.config.ts); the model fixture is generated first if it is missing, because the
 * build copies public/ into dist.
 */

const PORT = Number(process.env.PREVIEW_PORT ?? 4173);
/** Point the specs at an already running server (e.g. `vite` dev) instead of building and previewing. */
const EXTERNAL_BASE_URL = process.env.E2E_BASE_URL;
/** Where the app is built and previewed from; set it to run two suites side by side without clobbering dist/app. */
const DIST = process.env.E2E_DIST ?? 'dist/app';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work headless as root with no GPU; WebGPU then runs on SwiftShader. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Two cores: one browser at a time keeps WASM threads and SwiftShader from starving each other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // WebGPU on SwiftShader compiles every shader on the CPU: minutes, not seconds.
  timeout: 5 * 60_000,
  expect: { timeout: 30_000 },
  // The reliability reporter checks README.md's fault table after a run of every fault spec, and
  // writes it with RELIABILITY_WRITE=1 (e2e/support/reliability-reporter.ts).
  reporter: [
    ['list'],
    ...(process.env.CI ? [['html', { open: 'never', outputFolder: 'playwright-report' }] as const] : []),
    ['./e2e/support/reliability-reporter.ts'],
  ],
  use: {
    baseURL: EXTERNAL_BASE_URL ?? `http://localhost:${PORT}`,
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  webServer: EXTERNAL_BASE_URL
    ? undefined
    : {
        command: `npx tsx e2e/support/ensure-fixture.ts && npm run build:app -- --outDir ${DIST} && npm run build:e2e-pages -- --outDir ${DIST} && npm run preview -- --outDir ${DIST} --port ${PORT} --strictPort`,
        url: `http://localhost:${PORT}/e2e/pages/smoke.html`,
        reuseExistingServer: !process.env.CI,
        timeout: 5 * 60_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
