#!/usr/bin/env node
// The `tabembed` command. It runs the Node build of the CLI (`npm run build:cli` writes it;
// `npm install` of a checkout runs it through the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/node/cli-main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('tabembed: the CLI is not built; run `npm run build:cli` in the tabembed folder\n');
  process.exit(1);
}
const { runCliProcess } = await import(entry.href);
// Exit explicitly: output is flushed by now, and waiting for V8's background wasm compilation
// to drain would add tens of seconds (see src/engine/node/ort-wasm.ts).
process.exit(await runCliProcess());
