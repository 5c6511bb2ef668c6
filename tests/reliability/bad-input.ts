/**
 * One row of the bad-input matrix: where the input goes in, what it is, and what must come out.
 * The matrix (`bad-inputs.ts`) is plain data; one driver per surface (`drive-*.ts`) feeds each
 * case to the real code and reports what it saw; `verify()` compares the two, and the README's
 * "Reliability" table is rendered from what was seen (`scripts/reliability/`).
 */

/** Where a bad input enters. */
export type Surface = 'embed' | 'openai' | 'route' | 'cli' | 'widget-src' | 'search-files';

/** A refusal: the error code, and a part of the message that names the item and the rule. */
export interface Refused {
  /**
   * `EmbedError.code`; an OpenAI error code for the facade and the route; `usage` for a CLI
   * command line the CLI refuses before it starts (exit 2, no code).
   */
  code: string;
  /** The HTTP status, for the facade and the route. */
  status?: number;
  /** Text the message must hold: the item (`texts[1]`, `line 2`, `"version"`) and the rule. */
  names: string;
  /** The item as the error carries it besides its message: `EmbedError.index`, or the OpenAI error's `param`. */
  item?: number | string | null;
}

/** A defined result instead of a refusal, and what proves it. */
export interface Accepted {
  /** What happens, as the README says it. */
  accepted: string;
  /** embed: the same vectors as these texts give (exactly: one engine, one batch shape). */
  sameAs?: readonly string[];
  /** cli: the same stdout as this stdin gives. */
  sameAsStdin?: string;
}

interface CaseBase {
  /** What is wrong with the input, in a few words; unique within its surface. */
  kind: string;
  /** How the README shows the input when the value itself is too long or too raw to print. */
  given?: string;
  expect: Refused | Accepted;
}

export type BadInput = CaseBase &
  (
    | { surface: 'embed'; texts: unknown; options?: unknown }
    /** `createNodeEmbedder` options, over the fixture model unless `model` is given. */
    | { surface: 'embed'; load: Record<string, unknown> }
    /** A body for `embeddings.create` on the facade. */
    | { surface: 'openai'; body: unknown }
    /** An HTTP request as the route's service worker receives it; a forwarded body goes on to the facade. */
    | { surface: 'route'; method: string; path: string; body: string }
    /** The built CLI, with `args` after `tabembed` and `stdin`. */
    | { surface: 'cli'; args: readonly string[]; stdin: string }
    /** The text of a `<semantic-search src>` file, and its name. */
    | { surface: 'widget-src'; name: string; text: string }
    /** A file added on the search page; `html`: with the page's HTML-to-text converter. */
    | { surface: 'search-files'; name: string; text: string; html?: boolean }
  );

/** What a driver saw. */
export interface Observation {
  /** Refused (with the code and, for HTTP, the status) or accepted. */
  outcome: { refused: string; status?: number; item?: number | string | null } | { accepted: true };
  /** The error message (the CLI: its stderr), or what the accepted call gave, for a failing case's report. */
  message: string;
  /** Problems with the accepted result (vectors not as `sameAs`, …); empty when it was as expected. */
  resultProblems: string[];
  /** Whether the surface served the next good call right after this one, and how that was checked. */
  afterwards: { ok: boolean; what: string };
}

export function isRefused(expect: Refused | Accepted): expect is Refused {
  return 'code' in expect;
}

/** Where `observation` departs from what `bad` expects; empty when the case holds. */
export function verify(bad: BadInput, observation: Observation): string[] {
  const problems: string[] = [];
  const { outcome } = observation;
  if (isRefused(bad.expect)) {
    if (!('refused' in outcome)) problems.push(`accepted, expected a refusal with ${bad.expect.code}`);
    else {
      if (outcome.refused !== bad.expect.code) problems.push(`code ${outcome.refused}, expected ${bad.expect.code}`);
      if (bad.expect.status !== undefined && outcome.status !== bad.expect.status)
        problems.push(`status ${String(outcome.status)}, expected ${bad.expect.status}`);
      if (bad.expect.item !== undefined && outcome.item !== bad.expect.item)
        problems.push(`item ${JSON.stringify(outcome.item)}, expected ${JSON.stringify(bad.expect.item)}`);
      if (!observation.message.includes(bad.expect.names))
        problems.push(`the message does not say ${JSON.stringify(bad.expect.names)}`);
    }
  } else if ('refused' in outcome) problems.push(`refused with ${outcome.refused}, expected: ${bad.expect.accepted}`);
  problems.push(...observation.resultProblems);
  if (!observation.afterwards.ok) problems.push(`afterwards: ${observation.afterwards.what}`);
  return problems;
}
