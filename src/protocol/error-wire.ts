import * as Comlink from 'comlink';
import { EmbedError, isEmbedErrorCode } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';

/**
 * Comlink's default 'throw' handler keeps only name/message/stack, so a worker-side EmbedError
 * would arrive as a plain Error without its code. This handler carries code and index across
 * and rebuilds the class on the other side. Both the worker and the client call it.
 */
interface WireError {
  isError: true;
  name: string;
  message: string;
  stack: string | undefined;
  code: string | undefined;
  index: number | undefined;
}

export function installErrorWire(): void {
  const base = Comlink.transferHandlers.get('throw');
  if (!base) throw new Error('comlink has no "throw" transfer handler to extend');
  Comlink.transferHandlers.set('throw', {
    canHandle: (value: unknown): value is unknown => base.canHandle(value),
    serialize(thrown: unknown) {
      const value = isRecord(thrown) ? thrown['value'] : undefined;
      if (!(value instanceof Error)) return base.serialize(thrown);
      const wire: WireError = {
        isError: true,
        name: value.name,
        message: value.message,
        stack: value.stack,
        code: value instanceof EmbedError ? value.code : undefined,
        index: value instanceof EmbedError ? value.index : undefined,
      };
      return [wire, []];
    },
    deserialize(serialized: unknown) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- only our serialize() writes this wire shape, and each field is checked before use
      const wire = serialized as Partial<WireError>;
      if (wire.isError && isEmbedErrorCode(wire.code)) {
        const error = new EmbedError(
          wire.code,
          wire.message ?? '',
          wire.index === undefined ? {} : { index: wire.index },
        );
        if (wire.stack !== undefined) error.stack = wire.stack;
        throw error;
      }
      if (wire.isError)
        throw Object.assign(new Error(wire.message ?? ''), { name: wire.name ?? 'Error', stack: wire.stack });
      return base.deserialize(serialized);
    },
  });
}
