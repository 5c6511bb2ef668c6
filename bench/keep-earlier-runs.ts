import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The heading under which a bench's .md keeps earlier runs, by hand. */
export const EARLIER_RUNS = '## Earlier runs';

/** Writes a bench's results to `file`, keeping what the file held from EARLIER_RUNS on: only the part above is rewritten. */
export function writeKeepingEarlierRuns(file: string, lines: readonly string[]): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = previous.includes(EARLIER_RUNS) ? previous.slice(previous.indexOf(EARLIER_RUNS)) : '';
  writeFileSync(file, [...lines, kept].join('\n'));
}
