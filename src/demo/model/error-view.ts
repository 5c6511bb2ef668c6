import { EmbedError } from '../../client/index.ts';

/** Shows an error in the alert region: the EmbedError code on its own line, then the message as given. */
export function showError(region: HTMLElement, error: unknown, context: string): void {
  const code = document.createElement('strong');
  code.className = 'error-code';
  code.textContent = error instanceof EmbedError ? error.code : error instanceof Error ? error.name : 'Error';
  const message = document.createElement('p');
  message.className = 'error-message';
  message.textContent = error instanceof Error ? error.message : String(error);
  const where = document.createElement('p');
  where.className = 'error-context';
  where.textContent = context;
  // The region stays in the DOM (empty when there is nothing to say), so inserting text is announced.
  region.replaceChildren(code, where, message);
}

export function clearError(region: HTMLElement): void {
  region.replaceChildren();
}
