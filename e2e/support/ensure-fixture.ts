/**
 * Makes sure the tiny Qwen3 model fixture exists in public/models/qwen3-tiny/ before the app is
 * built (the build copies public/ into dist, so it must come first). Generates it with
 * `npm run fixture` when missing; fails with the next step when that script does not exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const fixtureDir = resolve(root, 'public/models/qwen3-tiny');
const required = ['config.json', 'onnx/model_q4.onnx'];

const missing = () => required.filter((file) => !existsSync(resolve(fixtureDir, file)));

if (missing().length > 0) {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.fixture) {
    console.error(
      `[e2e] public/models/qwen3-tiny is missing ${missing().join(', ')} and package.json has no "fixture" script; ` +
        'add the fixture generator (scripts/fixture) or generate the model there by hand.',
    );
    process.exit(1);
  }
  console.log(`[e2e] model fixture missing (${missing().join(', ')}): running npm run fixture`);
  execFileSync('npm', ['run', 'fixture'], { cwd: root, stdio: 'inherit' });
  if (missing().length > 0) {
    console.error(`[e2e] npm run fixture finished but ${missing().join(', ')} still missing in ${fixtureDir}`);
    process.exit(1);
  }
} else {
  console.log('[e2e] model fixture present in public/models/qwen3-tiny');
}
