import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';

export interface InputItem {
  id: string | number;
  text: string;
}

/**
 * One input line: a JSON string (its id is its 0-based item number) or `{"id":…,"text":…}`.
 * Blank lines are skipped; anything else is an error naming the line.
 */
export function parseInputLine(line: string, lineNumber: number, itemNumber: number): InputItem | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new EmbedError(
      'INVALID_INPUT',
      `line ${lineNumber}: not JSON; each line must be a JSON string or {"id":…,"text":"…"}`,
      { index: itemNumber },
    );
  }
  if (typeof value === 'string') return { id: itemNumber, text: value };
  if (isRecord(value)) {
    const { id, text } = value;
    if (typeof text !== 'string')
      throw new EmbedError('INVALID_INPUT', `line ${lineNumber}: "text" must be a string`, { index: itemNumber });
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
      throw new EmbedError('INVALID_INPUT', `line ${lineNumber}: "id" must be a string or a number`, {
        index: itemNumber,
      });
    }
    return { id: id ?? itemNumber, text };
  }
  throw new EmbedError('INVALID_INPUT', `line ${lineNumber}: expected a JSON string or an object with "text"`, {
    index: itemNumber,
  });
}
