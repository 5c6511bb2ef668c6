/** What the benchmarks share in writing their bench/*.md: the machine's load, and earlier runs kept below a new one. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The heading under which a bench's .md keeps earlier runs, by hand. */
export const EARLIER_RUNS = '## Earlier runs';

/** Writes a bench's results to `file`, keeping what the file held from EARLIER_RUNS on: only the part above is rewritten. */
export function writeKeepingEarlierRuns(file: string, lines: readonly string[]): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = previous.includes(EARLIER_RUNS) ? previous.slice(previous.indexOf(EARLIER_RUNS)) : '';
  writeFileSync(file, [...lines, kept].join('\n'));
}

/** The machine's load average (1 / 5 / 15 min), as each bench's .md records it before and after a run. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
