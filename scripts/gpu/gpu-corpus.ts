/**
 * Texts for the GPU run: distinct, each longer than the run's maxTokens, so every row is cut
 * to exactly that many tokens (the final <|endoftext|> kept) and the batch shape matches the
 * PyTorch reference's 64 × 512.
 */
import { mulberry32 } from '../fixture/rng.ts';

const WORDS = [
  'the',
  'model',
  'reads',
  'every',
  'token',
  'once',
  'and',
  'keeps',
  'its',
  'state',
  'on',
  'device',
  'while',
  'batches',
  'stream',
  'back',
  'in',
  'order',
  'search',
  'index',
];

export function longTexts(count: number, wordsEach: number, seed = 7): string[] {
  const random = mulberry32(seed);
  return Array.from(
    { length: count },
    (_, i) =>
      `text ${i}: ${Array.from({ length: wordsEach }, () => WORDS[Math.floor(random() * WORDS.length)] ?? 'x').join(' ')}`,
  );
}
