/**
 * The bad-input matrix: every kind of bad input tabembed is known to meet, at each surface, with
 * the outcome it must get. The one table of record: `bad-inputs.test.ts` runs it, and the
 * README's "Reliability" section shows it with the outcomes observed (`npm run reliability`).
 */
import type { BadInput } from './bad-input.ts';
import { CLI_CASES } from './cases-cli.ts';
import { EMBED_CASES } from './cases-embed.ts';
import { SEARCH_FILE_CASES, WIDGET_SRC_CASES } from './cases-files.ts';
import { OPENAI_CASES, ROUTE_CASES } from './cases-openai.ts';

export const BAD_INPUTS: readonly BadInput[] = [
  ...EMBED_CASES,
  ...OPENAI_CASES,
  ...ROUTE_CASES,
  ...CLI_CASES,
  ...WIDGET_SRC_CASES,
  ...SEARCH_FILE_CASES,
];
