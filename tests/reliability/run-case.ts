import type { BadInput, Observation } from './bad-input.ts';
import { driveCli } from './drive-cli.ts';
import { driveEmbed, driveOpenAI, driveRoute } from './drive-engine.ts';
import { driveSearchFile, driveWidgetSrc } from './drive-files.ts';
import type { MatrixContext } from './matrix-context.ts';

/** One case through its surface's driver: what came out, and whether the surface served on. */
export async function runCase(bad: BadInput, context: MatrixContext): Promise<Observation> {
  switch (bad.surface) {
    case 'embed':
      return driveEmbed(bad, context);
    case 'openai':
      return driveOpenAI(bad, context);
    case 'route':
      return driveRoute(bad, context);
    case 'cli':
      return driveCli(bad);
    case 'widget-src':
      return driveWidgetSrc(bad);
    case 'search-files':
      return driveSearchFile(bad);
    default: {
      const unreachable: never = bad;
      return unreachable;
    }
  }
}
