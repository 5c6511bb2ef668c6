/** Vectors from the embedder are unit length, so their cosine similarity is their dot product. */
export function similarityMatrix(vectors: readonly Float32Array[]): number[][] {
  return vectors.map((a) => vectors.map((b) => dot(a, b)));
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** Three decimals, without the "-0.000" that toFixed gives for tiny negatives. */
export function formatSimilarity(value: number): string {
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
}

/**
 * Blue for similar, orange for opposite, near-white around zero. The darkest shade stays at 60%
 * lightness so dark text keeps a WCAG contrast above 5:1 on every cell (white on mid-tones is ~3:1).
 */
export function similarityColours(value: number): { background: string; text: string } {
  const strength = Math.min(1, Math.abs(value));
  const hue = value >= 0 ? 215 : 25;
  const lightness = 97 - 37 * strength;
  return { background: `hsl(${hue} 75% ${lightness.toFixed(1)}%)`, text: '#111' };
}

const LABEL_CHARS = 24;

export function truncate(text: string, chars = LABEL_CHARS): string {
  const glyphs = Array.from(text); // by code point, so CJK and emoji are not cut in half
  return glyphs.length <= chars ? text : `${glyphs.slice(0, chars - 1).join('')}…`;
}

/** An accessible N×N table: texts as column and row headers (full text in `title`), one number per cell. */
export function renderSimilarityTable(
  texts: readonly string[],
  matrix: readonly (readonly number[])[],
): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'similarity';
  const caption = table.createCaption();
  caption.textContent = `Cosine similarity of ${texts.length} texts (dot product of unit vectors)`;

  const headRow = table.createTHead().insertRow();
  const corner = document.createElement('td');
  headRow.append(corner);
  texts.forEach((text, i) => headRow.append(header(text, i, 'col')));

  const body = table.createTBody();
  matrix.forEach((row, i) => {
    const tr = body.insertRow();
    tr.append(header(texts[i] ?? '', i, 'row'));
    row.forEach((value) => {
      const cell = tr.insertCell();
      const { background, text } = similarityColours(value);
      cell.textContent = formatSimilarity(value);
      cell.dataset['value'] = String(value);
      cell.style.backgroundColor = background;
      cell.style.color = text;
    });
  });
  return table;
}

function header(text: string, index: number, scope: 'col' | 'row'): HTMLTableCellElement {
  const th = document.createElement('th');
  th.scope = scope;
  th.title = text;
  th.textContent = `${index + 1}. ${truncate(text)}`;
  return th;
}
