/**
 * tsc writes the package's declarations (tsconfig.lib.json) with our source's `./x.ts` import
 * specifiers left as they are: TypeScript's `rewriteRelativeImportExtensions` rewrites emitted
 * JavaScript, not declarations. A consumer's compiler resolves `./x.js` to `./x.d.ts` under every
 * moduleResolution, but `./x.ts` only with `allowImportingTsExtensions`; so rewrite them.
 *
 * Usage: tsx build/fix-type-imports.ts dist/lib/types
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RELATIVE_TS_SPECIFIER = /(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g;

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: fix-type-imports.ts <declarations folder>');
let rewritten = 0;
for (const file of declarationFiles(dir)) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(RELATIVE_TS_SPECIFIER, (_, lead: string, quote: string, path: string) => {
    rewritten++;
    return `${lead}${quote}${path}.js${quote}`;
  });
  if (fixed !== text) writeFileSync(file, fixed);
}
console.log(`[lib types] ${rewritten} import specifiers rewritten from .ts to .js in ${dir}`);
