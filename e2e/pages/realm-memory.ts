/**
 * What Chromium attributes to each realm of this page (the page itself, each worker), after a
 * GC: `performance.measureUserAgentSpecificMemory()`, which needs cross-origin isolation.
 * Shared by the bench pages; undefined where the browser does not say.
 */
export async function realmMemory(): Promise<{ url: string; bytes: number }[] | undefined> {
  if (!crossOriginIsolated || !('measureUserAgentSpecificMemory' in performance)) return undefined;
  const measure = (
    performance as unknown as {
      measureUserAgentSpecificMemory(): Promise<{
        breakdown: { bytes: number; attribution: { url: string; scope: string }[] }[];
      }>;
    }
  ).measureUserAgentSpecificMemory();
  const { breakdown } = await measure;
  return breakdown
    .filter((entry) => entry.bytes > 0)
    .map((entry) => ({
      url: entry.attribution.map((a) => `${a.scope} ${a.url.replace(location.origin, '')}`).join(', ') || 'shared',
      bytes: entry.bytes,
    }));
}
