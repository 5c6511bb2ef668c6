/**
 * When the widget loads its model, from plain data: the `model-load` attribute, Save-Data, and
 * whether the index has a lexical part that can answer before the model.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_LOAD_CHOICES, planModelLoad, type ModelLoad } from '../../src/widget/model-load-plan.ts';

describe('planModelLoad', () => {
  it('loads after the first search by default when keyword results can come first', () => {
    expect(planModelLoad({ attribute: undefined, saveData: false, lexical: true }).when).toBe('search');
  });

  it('loads at once by default without a lexical part, Save-Data or not: nothing else can answer', () => {
    expect(planModelLoad({ attribute: undefined, saveData: false, lexical: false }).when).toBe('eager');
    expect(planModelLoad({ attribute: undefined, saveData: true, lexical: false }).when).toBe('eager');
  });

  it.each(MODEL_LOAD_CHOICES.map((c) => [c]))('follows model-load="%s" when Save-Data is off', (choice: ModelLoad) => {
    expect(planModelLoad({ attribute: choice, saveData: false, lexical: true }).when).toBe(choice);
    expect(planModelLoad({ attribute: choice, saveData: false, lexical: false }).when).toBe(choice);
  });

  it.each(MODEL_LOAD_CHOICES.map((c) => [c]))(
    'never loads by itself under Save-Data: model-load="%s" becomes the button',
    (choice: ModelLoad) => {
      const plan = planModelLoad({ attribute: choice, saveData: true, lexical: true });
      expect(plan).toEqual({ when: 'manual', reason: expect.stringContaining('save data') });
      expect(planModelLoad({ attribute: choice, saveData: true, lexical: false }).when).toBe('manual');
    },
  );

  it('gives the button under Save-Data for the keyword default too', () => {
    expect(planModelLoad({ attribute: undefined, saveData: true, lexical: true }).when).toBe('manual');
  });
});
