import type { OpenedIndex } from './index-run.ts';
export function showDownloadSize(_opened: OpenedIndex, _button: HTMLButtonElement, _signal: AbortSignal): void {}
