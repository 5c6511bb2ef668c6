/**
 * What the map colours by. Most sources are their own group (a file, a paste); the sample
 * corpus's 322 passages are grouped by topic (their ids are `sample:{topic}/{passage}`), since
 * 322 colours tell nothing apart.
 */
export interface SourceGroup {
  key: string;
  label: string;
}

export function sourceGroup(source: { id: string; name: string }): SourceGroup {
  const sample = /^sample:([^/]+)\//.exec(source.id);
  if (sample?.[1]) return { key: `sample:${sample[1]}`, label: `Sample corpus: ${sample[1]}` };
  return { key: source.id, label: source.name };
}
