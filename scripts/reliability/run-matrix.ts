import { BAD_INPUTS } from '../../tests/reliability/bad-inputs.ts';
import { verify } from '../../tests/reliability/bad-input.ts';
import { openMatrix } from '../../tests/reliability/matrix-context.ts';
import { runCase } from '../../tests/reliability/run-case.ts';
import type { Run } from './bad-inputs-table.ts';

/** Every case of the matrix, one after another (they share one engine), with what it gave. */
export async function runMatrix(): Promise<Run[]> {
  const context = await openMatrix();
  try {
    const runs: Run[] = [];
    for (const bad of BAD_INPUTS) runs.push({ bad, seen: await runCase(bad, context) });
    return runs;
  } finally {
    await context.close();
  }
}

/** The cases that did not hold, one line each. */
export function failures(runs: readonly Run[]): string[] {
  return runs.flatMap(({ bad, seen }) => {
    const problems = verify(bad, seen);
    return problems.length === 0 ? [] : [`${bad.surface} / ${bad.kind}: ${problems.join('; ')} (${seen.message})`];
  });
}
