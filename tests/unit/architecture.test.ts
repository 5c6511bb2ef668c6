import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../eslint.config.js';

/*
 * ARCHITECTURE.md's layer table is what eslint enforces (LAYERS in eslint.config.js drives the
 * boundaries/dependencies rule): the two must say the same, and every folder of code must be in
 * it, or a new folder would escape the rule unseen.
 */
interface Row {
  folder: string;
  mayImport: string[];
}

function tableRows(markdown: string): Row[] {
  const section = markdown.split('\n## Layers\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `[^`]+\/` \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ');
      const folder = /`([^`]+)\/`/.exec(cells[0] ?? '')?.[1] ?? '';
      const layers = (cells.at(-1) ?? '').replace(/ \|$/, '');
      return { folder, mayImport: [...layers.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '') };
    });
}

const doc = tableRows(readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8'));
const code: Row[] = LAYERS.map(({ folder, mayImport }) => ({ folder, mayImport: [...mayImport] }));
const nameOf = new Map(LAYERS.map(({ layer, folder }) => [layer, folder]));

describe('ARCHITECTURE.md and the import rule', () => {
  it('list the same layers, each allowed the same imports', () => {
    expect(doc.length).toBeGreaterThan(5);
    // The table names layers by their folder's last part; LAYERS by name.
    const codeAsDoc = code.map((row) => ({
      ...row,
      mayImport: row.mayImport.map((layer) => nameOf.get(layer)?.split('/').at(-1) ?? `unknown layer ${layer}`),
    }));
    expect(doc).toEqual(codeAsDoc);
  });

  it('cover every folder of code, and name only folders that exist', () => {
    const root = new URL('../../', import.meta.url);
    const folders = [...readdirSync(new URL('src/', root)).map((name) => `src/${name}`), 'workers'].filter((path) =>
      statSync(new URL(path, root)).isDirectory(),
    );
    expect(LAYERS.map((l) => l.folder).sort()).toEqual(folders.sort());
  });
});
