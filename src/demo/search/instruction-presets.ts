import { DEFAULT_INSTRUCTION } from '../../client/index.ts';

/**
 * Task descriptions for queries, from the Qwen3-Embedding model card's advice: one sentence that
 * says what the query is for. Documents never get one. `custom` takes the user's own sentence.
 */
export const INSTRUCTION_PRESETS = {
  web: { label: 'Web search', instruction: DEFAULT_INSTRUCTION },
  qa: { label: 'Question answering', instruction: 'Given a question, retrieve passages that answer the question' },
  code: { label: 'Code', instruction: 'Given a question about programming, retrieve passages or code that answer it' },
  custom: { label: 'Custom', instruction: undefined },
} as const satisfies Record<string, { label: string; instruction: string | undefined }>;

export type PresetName = keyof typeof INSTRUCTION_PRESETS;

export function isPresetName(value: string): value is PresetName {
  return Object.hasOwn(INSTRUCTION_PRESETS, value);
}

/** The instruction a preset stands for; `custom` uses the text the user typed (trimmed; empty is refused by the engine). */
export function instructionFor(preset: PresetName, customText: string): string {
  return INSTRUCTION_PRESETS[preset].instruction ?? customText.trim();
}
