import { listCachedModels } from '../../client/index.ts';
import type { KnownModelFit } from '../../core/model-fit.ts';
import { modelChoices } from './model-choices.ts';

/**
 * The model <select>: the Hub default, the test model, every model stored in this browser
 * (marked "stored here": they load with no network), and the URL's own choice. Choosing one
 * reloads the page with `?model=`, so the choice is a link that can be shared and bookmarked.
 */
export class ModelPicker {
  private selected = '';
  private fits: readonly KnownModelFit[] = [];
  private cached: Awaited<ReturnType<typeof listCachedModels>> = [];

  constructor(
    private readonly select: HTMLSelectElement,
    onChoose: (value: string) => void,
  ) {
    select.addEventListener('change', () => {
      if (select.value !== this.selected) onChoose(select.value);
    });
  }

  /** The model the page was opened with. */
  show(value: string): void {
    this.selected = value;
    this.render([]);
  }

  async refresh(): Promise<void> {
    this.cached = await listCachedModels().catch(() => []);
    this.render(this.cached);
  }

  /** Whether this device can hold each larger model (device-room.ts): offered, or shown with why not. */
  showFits(fits: readonly KnownModelFit[]): void {
    this.fits = fits;
    this.render(this.cached);
  }

  private render(cached: Awaited<ReturnType<typeof listCachedModels>>): void {
    const choices = modelChoices(cached, this.selected, location.href, this.fits);
    this.select.replaceChildren(
      ...choices.map((choice) => {
        const option = new Option(choice.cached ? `${choice.label} — stored here` : choice.label, choice.value);
        option.selected = choice.value === this.selected;
        // Shown, so the visitor learns why, but not offered: the load would refuse it (MODEL_TOO_LARGE).
        option.disabled = choice.unavailable !== undefined && !option.selected;
        option.dataset['testModel'] = String(choice.testModel);
        return option;
      }),
    );
  }
}
