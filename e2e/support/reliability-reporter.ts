/**
 * A Playwright reporter for README.md's fault table. It collects every test that declared a
 * fault with `fault()` (./reliability.ts) and how it ended, and, once a run has covered every
 * fault-declaring test (scripts/reliability/fault-table.ts says why only then):
 * - with RELIABILITY_WRITE=1, writes the table between README.md's `reliability:faults` markers;
 * - otherwise fails the run when README.md's table differs from this run's, printing the fix.
 * A partial run (some spec files, a grep, a shard, a skipped test) leaves README.md alone.
 *
 * Options: `{ readme: 'path/to/README.md' }`, relative to the config's folder (default README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase } from '@playwright/test/reporter';
import {
  partialBecause,
  renderFaults,
  type FaultResult,
  type RunCoverage,
} from '../../scripts/reliability/fault-table.ts';
import { readReadmeSection, writeSection } from '../../scripts/reliability/readme-section.ts';
import { isRecord } from '../../src/core/is-record.ts';
import { FAULT_ANNOTATION, type FaultRow } from './reliability.ts';

const FAULT_CALL = /^\s*fault\(/m;

export default class ReliabilityReporter implements Reporter {
  private config: FullConfig | undefined;
  private suite: Suite | undefined;
  private readonly readme: string | undefined;

  constructor(options: { readme?: string } = {}) {
    this.readme = options.readme;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
  }

  onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    return Promise.resolve(this.finish(result));
  }

  private finish(result: FullResult): { status: FullResult['status'] } | undefined {
    const { config, suite } = this;
    if (!config || !suite) return undefined;
    const root = config.configFile ? dirname(config.configFile) : config.rootDir;
    const readme = resolve(root, this.readme ?? 'README.md');
    const tests = suite.allTests();
    const results = tests.flatMap((test) => faultResults(test, root));
    const partial = partialBecause(coverage(config, tests, root));
    const write = process.env['RELIABILITY_WRITE'] === '1';
    if (partial !== undefined) {
      if (write || results.length > 0) say(`fault table left as it is: a partial run (${partial})`);
      return undefined;
    }
    const table = renderFaults(results);
    if (write) {
      const changed = writeSection('faults', table, readme);
      say(`${results.length} faults; ${relative(root, readme)} ${changed ? 'written' : 'already up to date'}`);
      return undefined;
    }
    if (readReadmeSection('faults', readme) === table) return undefined;
    const failed = results.filter((row) => row.status !== 'passed').length;
    say(
      `${relative(root, readme)}'s fault table is not what this run gave.` +
        (failed > 0 ? ` ${failed} fault tests did not pass: fix them first.` : '') +
        ` Write it with: RELIABILITY_WRITE=1 npx playwright test ${[...new Set(results.map((row) => row.file))].join(' ')}\n` +
        `This run's table:\n${table}`,
    );
    return { status: result.status === 'passed' ? 'failed' : result.status };
  }

  printsToStdio(): boolean {
    return false;
  }
}

function faultResults(test: TestCase, root: string): FaultResult[] {
  const last = test.results.at(-1);
  if (!last) return [];
  const status = test.outcome() === 'flaky' ? 'flaky' : last.status;
  return test.annotations
    .filter((annotation) => annotation.type === FAULT_ANNOTATION)
    .map((annotation) => {
      const row = faultRow(annotation.description);
      return { ...row, file: relative(root, test.location.file), line: test.location.line, status };
    });
}

/** The row fault() wrote as the annotation's JSON; a hand-made annotation of that type says what it lacks. */
function faultRow(description: string | undefined): FaultRow {
  const value: unknown = JSON.parse(description ?? 'null');
  if (isRecord(value) && typeof value['fault'] === 'string' && typeof value['outcome'] === 'string')
    return { fault: value['fault'], outcome: value['outcome'] };
  throw new Error(`a ${FAULT_ANNOTATION} annotation holds ${String(description)}, not fault()'s { fault, outcome }`);
}

/** What this run covered: the fault-declaring spec files on disk, the tests it held, and what narrowed it. */
function coverage(config: FullConfig, tests: readonly TestCase[], root: string): RunCoverage {
  const specs = [...new Set(config.projects.map((project) => project.testDir))].flatMap(specFiles);
  const declaring = specs.filter((file) => FAULT_CALL.test(readFileSync(file, 'utf8')));
  return {
    declaring: declaring.map((file) => relative(root, file)),
    tests: tests.map((test) => ({ file: relative(root, test.location.file), status: test.results.at(-1)?.status })),
    narrowed: narrowedBy(config, declaring),
  };
}

/**
 * Why the suite may hold only some of a file's tests; undefined when nothing narrowed it. The
 * command line's --grep and the like are not in the config (Playwright 1.65 hands them to the run
 * alone), so its arguments are read as well.
 */
function narrowedBy(config: FullConfig, declaring: readonly string[]): string | undefined {
  const greps = [config, ...config.projects].flatMap((c) => [c.grep].flat());
  if (greps.some((grep) => grep.source !== '.*')) return "the config's grep";
  if ([config, ...config.projects].some((c) => c.grepInvert !== null && [c.grepInvert].flat().length > 0))
    return "the config's grepInvert";
  if (config.shard) return 'a shard';
  const args = config.argv.slice(config.argv.indexOf('test') + 1);
  const flag = args.find((arg) => NARROWING_FLAGS.some((name) => arg === name || arg.startsWith(`${name}=`)));
  if (flag) return `${flag.replace(/=.*/, '')} on the command line`;
  const lineFilter = args.find((arg) => /\.ts:\d+/.test(arg));
  if (lineFilter) return `a file:line filter (${lineFilter})`;
  const only = declaring.find((file) => /\.only\(/.test(readFileSync(file, 'utf8')));
  if (only) return `a .only in ${only}`;
  return undefined;
}

/** Command-line options that pick some of a file's tests. */
const NARROWING_FLAGS = [
  '-g',
  '--grep',
  '-G',
  '--grep-invert',
  '--last-failed',
  '--only-changed',
  '--test-list',
  '--test-list-invert',
  '--shard',
];

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : specFiles(path);
    return entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function say(line: string): void {
  process.stdout.write(`\nreliability: ${line}\n`);
}
