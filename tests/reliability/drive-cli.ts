/**
 * The CLI's driver: the built bin script in a child process, as a user runs it. Exit 2 is a
 * command line refused before anything starts (`usage`); exit 1 carries `tabembed: CODE: …`.
 * A refused run must leave stdout empty: no half-written JSONL or index for a pipe to keep.
 */
import { tabembed } from '../cli/run-cli.ts';
import type { BadInput, Observation } from './bad-input.ts';

export async function driveCli(bad: Extract<BadInput, { surface: 'cli' }>): Promise<Observation> {
  const run = await tabembed([...bad.args], bad.stdin);
  const coded = /^tabembed: ([A-Z_]+): /m.exec(run.stderr);
  if (run.code === 0) {
    const sameAsStdin = 'sameAsStdin' in bad.expect ? bad.expect.sameAsStdin : undefined;
    const plain = sameAsStdin === undefined ? undefined : await tabembed([...bad.args], sameAsStdin);
    const same = plain === undefined || (plain.code === 0 && plain.stdout === run.stdout);
    return {
      outcome: { accepted: true },
      message: run.stderr,
      resultProblems: same ? [] : [`the output differs from that of ${JSON.stringify(sameAsStdin)}`],
      afterwards: { ok: true, what: 'exit 0' },
    };
  }
  // A usage refusal shows the usage, so the user sees the flags there are.
  const usage = run.code === 2 && run.stderr.includes('\nusage: tabembed embed');
  const refused = usage ? 'usage' : run.code === 1 && coded?.[1] ? coded[1] : `exit ${String(run.code)}`;
  return {
    outcome: { refused },
    message: run.stderr,
    resultProblems: [],
    afterwards: {
      ok: run.stdout === '',
      what: run.stdout === '' ? 'nothing on stdout' : `stdout holds ${run.stdout.length} characters`,
    },
  };
}
