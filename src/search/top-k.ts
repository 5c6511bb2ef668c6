/**
 * Top-k selection with a bounded min-heap: O(n log k) time and O(k) memory, against O(n log n)
 * and O(n) for sorting every score. The heap's root is the worst kept entry, so a new score is
 * compared once with it and usually rejected without touching the heap.
 */

export interface Scored {
  row: number;
  score: number;
}

/** True when `a` ranks below `b`: a lower score, or the same score and a higher row (ties go to the lower row). */
function worse(aScore: number, aRow: number, bScore: number, bRow: number): boolean {
  return aScore < bScore || (aScore === bScore && aRow > bRow);
}

/**
 * Keeps the k best (highest score) rows pushed into it.
 *
 * @example
 * const top = new TopK(2);
 * [0.1, 0.9, 0.5].forEach((s, row) => top.push(row, s));
 * top.sorted(); // [{ row: 1, score: 0.9 }, { row: 2, score: 0.5 }]
 */
export class TopK {
  private readonly rows: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.rows = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** Offers one row; NaN scores are never kept (they would poison every comparison). */
  push(row: number, score: number): void {
    if (Number.isNaN(score)) return;
    if (this.size < this.k) {
      this.siftUp(this.size++, row, score);
      return;
    }
    if (this.k === 0 || !worse(this.scores[0] ?? 0, this.rows[0] ?? 0, score, row)) return;
    this.siftDown(row, score);
  }

  /** The kept rows, best first. */
  sorted(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.size; i++) out.push({ row: this.rows[i] ?? 0, score: this.scores[i] ?? 0 });
    return out.sort((a, b) => b.score - a.score || a.row - b.row);
  }

  private siftUp(start: number, row: number, score: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(score, row, this.scores[parent] ?? 0, this.rows[parent] ?? 0)) break;
      this.rows[i] = this.rows[parent] ?? 0;
      this.scores[i] = this.scores[parent] ?? 0;
      i = parent;
    }
    this.rows[i] = row;
    this.scores[i] = score;
  }

  /** Replaces the root with (row, score) and restores the heap below it. */
  private siftDown(row: number, score: number): void {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let child = left;
      if (
        right < this.size &&
        worse(this.scores[right] ?? 0, this.rows[right] ?? 0, this.scores[left] ?? 0, this.rows[left] ?? 0)
      )
        child = right;
      if (!worse(this.scores[child] ?? 0, this.rows[child] ?? 0, score, row)) break;
      this.rows[i] = this.rows[child] ?? 0;
      this.scores[i] = this.scores[child] ?? 0;
      i = child;
    }
    this.rows[i] = row;
    this.scores[i] = score;
  }
}
