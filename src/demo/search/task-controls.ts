import { buildPrompt } from '../../core/prompt.ts';
import { instructionFor, INSTRUCTION_PRESETS, isPresetName, type PresetName } from './instruction-presets.ts';

/**
 * The query's task: a preset or the user's own sentence, and the exact text the model will be
 * sent (`Instruct: {task}\nQuery:{query}`), updated as either changes.
 */
export class TaskControls {
  constructor(
    private readonly preset: HTMLSelectElement,
    private readonly custom: HTMLInputElement,
    private readonly query: HTMLInputElement,
    private readonly preview: HTMLElement,
  ) {
    preset.replaceChildren(...Object.entries(INSTRUCTION_PRESETS).map(([value, p]) => new Option(p.label, value)));
    custom.value = INSTRUCTION_PRESETS.qa.instruction;
    for (const control of [preset, custom, query]) control.addEventListener('input', () => this.showPrompt());
    this.showPrompt();
  }

  instruction(): string {
    const preset: PresetName = isPresetName(this.preset.value) ? this.preset.value : 'web';
    return instructionFor(preset, this.custom.value);
  }

  private showPrompt(): void {
    this.custom.disabled = this.preset.value !== 'custom';
    this.preview.textContent = buildPrompt(this.query.value || '…', 'query', this.instruction() || '…');
  }
}
