/*
 * Qwen3-Embedding's prompt format. Queries carry a one-sentence task description; documents
 * are embedded raw. The exact bytes matter: the model was trained with
 * `Instruct: {task}\nQuery:{text}` (no space after "Query:"), as in the model card.
 */

/** The task a query carries when the caller names none (the model card's web-search task). */
export const DEFAULT_INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query';

export type TextKind = 'query' | 'document';

export function formatQuery(instruction: string, text: string): string {
  return `Instruct: ${instruction}\nQuery:${text}`;
}

export function buildPrompt(text: string, kind: TextKind, instruction: string = DEFAULT_INSTRUCTION): string {
  switch (kind) {
    case 'query':
      return formatQuery(instruction, text);
    case 'document':
      return text;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown kind ${String(unreachable)}`);
    }
  }
}
