import { describe, expect, it } from 'vitest';
import { sourceGroup } from '../../src/demo/search/source-groups.ts';

describe('map colour groups', () => {
  it('groups sample passages by topic', () => {
    expect(sourceGroup({ id: 'sample:language learning/spaced-repetition', name: 'Spaced repetition (en)' })).toEqual({
      key: 'sample:language learning',
      label: 'Sample corpus: language learning',
    });
  });

  it('keeps a file or a paste as a group of its own', () => {
    expect(sourceGroup({ id: 'file:notes.md', name: 'notes.md' })).toEqual({ key: 'file:notes.md', label: 'notes.md' });
    expect(sourceGroup({ id: 'paste:2', name: 'Pasted text 2' })).toEqual({ key: 'paste:2', label: 'Pasted text 2' });
  });
});
