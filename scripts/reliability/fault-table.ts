/**
 * The README's fault table: one row per Playwright test that declared a fault with `fault()`
 * (e2e/support/reliability.ts), with the result it had in the run. Pure, over plain data the
 * reporter (e2e/support/reliability-reporter.ts) collects, so Node tests check it.
 *
 * The table is written or checked only after a run in which every test that declares a fault
 * ran: a spec declares its faults at run time, so a test that did not run leaves no trace, and a
 * table from a partial run would drop its row. Merging with the rows already in README.md would
 * keep them, but would also keep the rows of a fault renamed or removed since, with a result no
 * run gave; the full set costs one run of the few spec files that declare faults.
 */
import { codeCell, textCell } from './readme-section.ts';

/** One test that declared a fault, and how it ended. */
export interface FaultResult {
  fault: string;
  outcome: string;
  /** The spec file, relative to the repository (`e2e/delivery.spec.ts`), and the test's line (for the order only: the table would change with every line added above). */
  file: string;
  line: number;
  /** The last result's status; `flaky` when it passed on a retry. */
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted' | 'flaky';
}

/** What the reporter knows about the run, beyond the fault rows. */
export interface RunCoverage {
  /** Spec files (as FaultResult.file) whose source calls `fault(`. */
  declaring: readonly string[];
  /** Every test in the run's suite: its file and its last result's status (undefined: it never ran). */
  tests: readonly { file: string; status: string | undefined }[];
  /** Why the suite may hold only part of a file's tests (a grep, a shard, --last-failed, file:line, .only); undefined when nothing narrowed it. */
  narrowed: string | undefined;
}

/** Why this run cannot write or check the table; undefined when every fault-declaring test ran. */
export function partialBecause(coverage: RunCoverage): string | undefined {
  if (coverage.narrowed !== undefined) return coverage.narrowed;
  for (const file of coverage.declaring) {
    const tests = coverage.tests.filter((test) => test.file === file);
    if (tests.length === 0) return `${file} declares faults and was not in this run`;
    const idle = tests.filter(
      (test) => test.status === undefined || test.status === 'skipped' || test.status === 'interrupted',
    );
    if (idle.length > 0) return `${idle.length} of ${file}'s tests did not run to the end`;
  }
  return undefined;
}

/** The table, rows in file and line order, so the same specs always give the same text. */
export function renderFaults(results: readonly FaultResult[]): string {
  const rows = [...results].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return [
    `${rows.length} faults, each injected by a Playwright spec into real parts, with the result the spec had in the run that wrote this table.`,
    '',
    '| fault | what happens | spec | result in this run |',
    '|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${textCell(row.fault)} | ${textCell(row.outcome)} | ${codeCell(row.file)} | ${STATUS_WORDS[row.status]} |`,
    ),
  ].join('\n');
}

const STATUS_WORDS: Record<FaultResult['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  timedOut: 'timed out',
  skipped: 'skipped',
  interrupted: 'interrupted',
  flaky: 'passed on a retry',
};
