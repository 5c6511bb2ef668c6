import { test } from '@playwright/test';

/**
 * The README's "Reliability" fault table is generated from the suite's own results, never
 * written by hand: a spec that injects a fault calls `fault()` once, and the reliability
 * reporter collects these annotations with each test's outcome in the run.
 */
export const FAULT_ANNOTATION = 'reliability:fault';

/** One row of the fault table, as a spec declares it. */
export interface FaultRow {
  /** What goes wrong, as a user would name it: "a server goes silent mid-file". */
  fault: string;
  /** What the test proves happens instead: "retried with Range, then MODEL_FETCH_FAILED; cache intact". */
  outcome: string;
}

/**
 * Declares the running test one row of the fault table.
 * @example fault('a reload in the middle of a model download', 'the next load resumes with Range; one verified copy cached');
 */
export function fault(what: string, outcome: string): void {
  const row: FaultRow = { fault: what, outcome };
  test.info().annotations.push({ type: FAULT_ANNOTATION, description: JSON.stringify(row) });
}
