/**
 * The fault-table reporter (e2e/support/reliability-reporter.ts) in a real Playwright run, on two
 * throwaway spec files that need no browser: it writes README's table only after a run that
 * covered every fault-declaring test, fails a full run whose table differs from README's, and
 * leaves README alone after a partial one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partialBecause, renderFaults } from '../../scripts/reliability/fault-table.ts';
import { readSection, replaceSection } from '../../scripts/reliability/readme-section.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const EMPTY_README = '# x\n\n<!-- reliability:faults:start -->\n<!-- reliability:faults:end -->\n';
let dir: string;

/** A spec file whose tests call fault() (or not) and pass. */
function spec(tests: { title: string; fault?: [string, string] }[]): string {
  return [
    `import { test, expect } from '@playwright/test';`,
    `import { fault } from '${join(ROOT, 'e2e/support/reliability.ts')}';`,
    ...tests.map(
      ({ title, fault }) =>
        `test(${JSON.stringify(title)}, () => {\n${fault ? `  fault(${JSON.stringify(fault[0])}, ${JSON.stringify(fault[1])});\n` : ''}  expect(1).toBe(1);\n});`,
    ),
  ].join('\n');
}

function playwright(args: string[], env: Record<string, string> = {}): { code: number | null; out: string } {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', dir, ...args],
    {
      cwd: dir,
      env: { ...process.env, CI: '', ...env },
      encoding: 'utf8',
    },
  );
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const readme = (): string => readFileSync(join(dir, 'README.md'), 'utf8');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fault-reporter-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'playwright.config.ts'),
    `export default { testDir: '.', testMatch: '**/*.spec.ts', workers: 1, reporter: [['${join(ROOT, 'e2e/support/reliability-reporter.ts')}']] };\n`,
  );
  writeFileSync(
    join(dir, 'a.spec.ts'),
    spec([{ title: 'stall', fault: ['a server stalls', 'resumed with Range'] }, { title: 'no fault here' }]),
  );
  writeFileSync(join(dir, 'b.spec.ts'), spec([{ title: 'quota', fault: ['storage is full', 'QUOTA_EXCEEDED'] }]));
  writeFileSync(join(dir, 'README.md'), EMPTY_README);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the fault-table reporter', () => {
  it('writes the table after a full run with RELIABILITY_WRITE=1: one row per fault, with its result', () => {
    const run = playwright([], { RELIABILITY_WRITE: '1' });
    expect(run.code, run.out).toBe(0);
    expect(readSection(readme(), 'faults')).toBe(
      [
        '2 faults, each injected by a Playwright spec into real parts, with the result the spec had in the run that wrote this table.',
        '',
        '| fault | what happens | spec | result in this run |',
        '|---|---|---|---|',
        '| a server stalls | resumed with Range | `a.spec.ts` | passed |',
        '| storage is full | QUOTA_EXCEEDED | `b.spec.ts` | passed |',
      ].join('\n'),
    );
  });

  it('passes a full run whose table is the one README holds', () => {
    const run = playwright([]);
    expect(run.code, run.out).toBe(0);
  });

  it('fails a full run whose table differs from README, printing the command that writes it', () => {
    const written = readme();
    writeFileSync(join(dir, 'README.md'), written.replace('QUOTA_EXCEEDED', 'an old outcome'));
    const run = playwright([]);
    expect(run.code).toBe(1);
    expect(run.out).toContain("README.md's fault table is not what this run gave");
    expect(run.out).toContain('RELIABILITY_WRITE=1 npx playwright test a.spec.ts b.spec.ts');
    expect(readme()).toContain('an old outcome');
    writeFileSync(join(dir, 'README.md'), written);
  });

  it.each([
    [['a.spec.ts'], 'b.spec.ts declares faults and was not in this run'],
    [['-g', 'stall|quota'], '-g on the command line'],
    [['--grep=stall|quota'], '--grep on the command line'],
    [['a.spec.ts:2', 'b.spec.ts'], 'a file:line filter (a.spec.ts:2)'],
  ])('leaves README alone after a partial run: %j', (args, reason) => {
    writeFileSync(join(dir, 'README.md'), replaceSection(readme(), 'faults', 'rows from an earlier full run'));
    const run = playwright(args, { RELIABILITY_WRITE: '1' });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`fault table left as it is: a partial run (${reason})`);
    expect(readSection(readme(), 'faults')).toBe('rows from an earlier full run');
  });
});

describe('partialBecause', () => {
  const tests = [
    { file: 'e2e/a.spec.ts', status: 'passed' },
    { file: 'e2e/b.spec.ts', status: 'failed' },
  ];

  it('calls a run whole when every test of every fault-declaring file ran to an end, failed ones included', () => {
    expect(
      partialBecause({ declaring: ['e2e/a.spec.ts', 'e2e/b.spec.ts'], tests, narrowed: undefined }),
    ).toBeUndefined();
  });

  it('calls it partial when a test of such a file was skipped, interrupted or never started', () => {
    for (const status of ['skipped', 'interrupted', undefined])
      expect(
        partialBecause({
          declaring: ['e2e/a.spec.ts'],
          tests: [...tests, { file: 'e2e/a.spec.ts', status }],
          narrowed: undefined,
        }),
      ).toBe("1 of e2e/a.spec.ts's tests did not run to the end");
  });
});

describe('renderFaults', () => {
  it('orders rows by file and line and says how each test ended', () => {
    const row = { fault: 'f', outcome: 'o' };
    expect(
      renderFaults([
        { ...row, fault: 'later', file: 'e2e/a.spec.ts', line: 90, status: 'timedOut' },
        { ...row, fault: 'other file', file: 'e2e/0.spec.ts', line: 5, status: 'flaky' },
        { ...row, fault: 'a | pipe', file: 'e2e/a.spec.ts', line: 10, status: 'failed' },
      ])
        .split('\n')
        .slice(4),
    ).toEqual([
      '| other file | o | `e2e/0.spec.ts` | passed on a retry |',
      '| a \\| pipe | o | `e2e/a.spec.ts` | failed |',
      '| later | o | `e2e/a.spec.ts` | timed out |',
    ]);
  });
});
