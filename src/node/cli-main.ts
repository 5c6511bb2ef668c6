import { main } from './cli.ts';

/** The process-level entry: real argv and stdio. */
export function runCliProcess(): Promise<number> {
  return main(process.argv.slice(2), process.stdin, process.stdout);
}
