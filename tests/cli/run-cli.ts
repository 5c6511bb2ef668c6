/**
 * The `tabembed` bin script as a user runs it (arguments, stdin text, and what came back), and
 * what the CLI tests need before the first run: the fixture model, the built CLI, and the
 * model's independent float64 reference.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { loadReferenceModel, type ReferenceModel } from '../reference/reference-embedding.ts';

/** The random-weight fixture both commands are tested on. */
export const MODEL = 'public/models/qwen3-tiny';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tabembed(args: string[], stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/tabembed.js', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * Generates the fixture under public/models, builds the CLI when dist/node/cli-main.js is
 * missing (`npm run build:cli`), and loads MODEL's reference (model.onnx, fp32 weights). For a
 * `beforeAll` with a 120 s timeout: the first build and fixture take a while.
 */
export async function prepareCli(): Promise<ReferenceModel> {
  await generateFixture({ outDir: 'public/models' });
  if (!existsSync('dist/node/cli-main.js')) execFileSync('npm', ['run', 'build:cli'], { stdio: 'inherit' });
  return loadReferenceModel(MODEL, 'model.onnx');
}
