/**
 * The bad-input matrix (`bad-inputs.ts`) on the real code: each case through its surface's
 * driver, then the README's table rendered from what the cases gave, which must be the one
 * README.md holds (`npm run reliability` writes it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBadInputs, type Run } from '../../scripts/reliability/bad-inputs-table.ts';
import { readReadmeSection } from '../../scripts/reliability/readme-section.ts';
import { verify, type BadInput, type Observation } from './bad-input.ts';
import { BAD_INPUTS } from './bad-inputs.ts';
import { openMatrix, type MatrixContext } from './matrix-context.ts';
import { runCase } from './run-case.ts';

let context: MatrixContext;
const seen = new Map<BadInput, Observation>();

beforeAll(async () => {
  context = await openMatrix();
}, 120_000);

afterAll(async () => {
  await context.close();
});

describe('the bad-input matrix', () => {
  it('holds at least 40 kinds, each named once per surface', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    const names = BAD_INPUTS.map((bad) => `${bad.surface}: ${bad.kind}`);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it.each(BAD_INPUTS.map((bad) => ({ bad, name: `${bad.surface}: ${bad.kind}` })))('$name', async ({ bad }) => {
    const observation = await runCase(bad, context);
    seen.set(bad, observation);
    expect(verify(bad, observation), observation.message).toEqual([]);
  });

  it("is what README.md's Reliability section shows", async () => {
    // Cases a filtered run (-t) skipped are run here, so the table is always the whole matrix's.
    const runs: Run[] = [];
    for (const bad of BAD_INPUTS) runs.push({ bad, seen: seen.get(bad) ?? (await runCase(bad, context)) });
    expect(
      readReadmeSection('bad-inputs'),
      "README.md's bad-input table is not what the code gives: run `npm run reliability` and commit README.md",
    ).toBe(renderBadInputs(runs));
  });
});
