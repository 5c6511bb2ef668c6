/**
 * A real engine with a door a test can hold shut: `hold()` makes the next embed call wait at the
 * door (`entered` resolves when it is there) until `release()`. While it waits, the server's
 * engine is busy, so requests sent then must queue: the tests reach "busy" by an event, never by
 * a sleep. The vectors are still the real engine's; `calls` records the texts of each call.
 */
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import type { ServeEngine } from '../../src/node/serve/batch-queue.ts';

export interface HeldEngine {
  engine: ServeEngine;
  /** The texts of every embed call, in the order the calls reached the engine. */
  calls: string[][];
  /** Holds the next call at the door. */
  hold: () => { entered: Promise<void>; release: () => void };
}

export function heldEngine(real: EmbedEngine): HeldEngine {
  const calls: string[][] = [];
  let door: { enter(): void; opened: Promise<void> } | undefined;
  return {
    calls,
    engine: {
      info: () => real.info(),
      countTokens: (texts) => real.countTokens(texts),
      async embed(texts, options) {
        calls.push([...texts]);
        const held = door;
        door = undefined;
        if (held) {
          held.enter();
          await held.opened;
        }
        return real.embed(texts, options);
      },
    },
    hold() {
      let enter = (): void => undefined;
      let release = (): void => undefined;
      const entered = new Promise<void>((resolve) => (enter = resolve));
      const opened = new Promise<void>((resolve) => (release = resolve));
      door = { enter, opened };
      return { entered, release };
    },
  };
}
