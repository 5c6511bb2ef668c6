/**
 * `npm run reliability`: runs the bad-input matrix and writes its table into README.md's
 * "Reliability" section. It writes nothing while a case fails, so the README only ever shows
 * outcomes the code gives and the matrix expects. Needs the built CLI (`npm run build:cli`).
 */
import { renderBadInputs } from './bad-inputs-table.ts';
import { writeSection } from './readme-section.ts';
import { failures, runMatrix } from './run-matrix.ts';

const runs = await runMatrix();
const failed = failures(runs);
if (failed.length > 0) {
  process.stderr.write(`${failed.length} bad-input cases failed; README.md left as it is:\n${failed.join('\n')}\n`);
  process.exit(1);
}
const changed = writeSection('bad-inputs', renderBadInputs(runs));
process.stdout.write(`${runs.length} bad-input cases held; README.md ${changed ? 'updated' : 'already up to date'}\n`);
