import type { IndexMap } from '../../protocol/search-api.ts';
import { sourceColour } from './source-colours.ts';
import { sourceGroup } from './source-groups.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 360;
const PAD = 14;

interface Scale {
  x: (value: number) => number;
  y: (value: number) => number;
}

/**
 * The 2-D picture of the index: one dot per chunk at its PCA coordinates, coloured by source
 * (or by source group: source-groups.ts),
 * its text shown on hover; the current query as a ring. For screen readers the SVG is one
 * image whose label sums it up (hundreds of dots are no use read out one by one).
 */
export class ChunkMap {
  private scale: Scale | undefined;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly hover: HTMLElement,
    private readonly legend: HTMLUListElement,
  ) {
    svg.addEventListener('mouseover', (event) => {
      const target = event.target;
      if (target instanceof SVGCircleElement && target.dataset['text'] !== undefined) {
        hover.textContent = `${target.dataset['source'] ?? ''}: ${target.dataset['text']}`;
      }
    });
    svg.addEventListener('mouseleave', () => (hover.textContent = ''));
  }

  render(map: IndexMap, sourceNames: ReadonlyMap<string, string>): void {
    const groups = new Map<string, ReturnType<typeof sourceGroup>>();
    const groupOf = (sourceId: string): ReturnType<typeof sourceGroup> => {
      let group = groups.get(sourceId);
      if (!group)
        groups.set(sourceId, (group = sourceGroup({ id: sourceId, name: sourceNames.get(sourceId) ?? sourceId })));
      return group;
    };
    const ranks = new Map<string, number>();
    const labels = new Map<string, string>();
    const counts = new Map<string, number>();
    for (const point of map.points) {
      const group = groupOf(point.sourceId);
      if (!ranks.has(group.key)) ranks.set(group.key, ranks.size);
      labels.set(group.key, group.label);
      counts.set(group.key, (counts.get(group.key) ?? 0) + 1);
    }
    this.scale = fit(map.points);
    const dots = map.points.map((point) => {
      const circle = document.createElementNS(SVG, 'circle');
      circle.setAttribute('cx', this.scale?.x(point.x).toFixed(1) ?? '0');
      circle.setAttribute('cy', this.scale?.y(point.y).toFixed(1) ?? '0');
      circle.setAttribute('r', '3.5');
      circle.setAttribute('fill', sourceColour(ranks.get(groupOf(point.sourceId).key) ?? 0));
      circle.dataset['chunkId'] = point.chunkId;
      circle.dataset['source'] = sourceNames.get(point.sourceId) ?? point.sourceId;
      circle.dataset['text'] = point.text.length > 200 ? `${point.text.slice(0, 200)}…` : point.text;
      return circle;
    });
    this.svg.replaceChildren(...dots);
    const explained = map.explained.map((share) => `${Math.round(share * 100)} %`).join(' and ');
    this.svg.setAttribute(
      'aria-label',
      map.points.length === 0
        ? 'No chunks indexed yet'
        : `Map of ${map.points.length} chunks in ${ranks.size} colours (sources or source groups); the two axes explain ${explained} of the variance`,
    );
    this.legend.replaceChildren(
      ...[...ranks].map(([key, rank]) => {
        const li = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = sourceColour(rank);
        li.append(swatch, ` ${labels.get(key) ?? key} (${counts.get(key) ?? 0})`);
        return li;
      }),
    );
  }

  clear(): void {
    this.scale = undefined;
    this.svg.replaceChildren();
    this.svg.setAttribute('aria-label', 'No chunks indexed yet');
    this.legend.replaceChildren();
    this.hover.textContent = '';
  }

  /** Moves the query ring to a projected query; the map must have been rendered first. */
  showQuery(point: { x: number; y: number }, query: string): void {
    this.svg.querySelector('.query')?.remove();
    if (!this.scale) return;
    const ring = document.createElementNS(SVG, 'circle');
    ring.classList.add('query');
    // A query far from every chunk stays on the edge of the picture rather than off it.
    ring.setAttribute('cx', clamp(this.scale.x(point.x), 0, WIDTH).toFixed(1));
    ring.setAttribute('cy', clamp(this.scale.y(point.y), 0, HEIGHT).toFixed(1));
    ring.setAttribute('r', '8');
    ring.dataset['source'] = 'Query';
    ring.dataset['text'] = query;
    this.svg.append(ring);
  }
}

/** Maps the points' bounding box onto the view box, same scale on both axes so distances stay true. */
function fit(points: readonly { x: number; y: number }[]): Scale {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs, 0), Math.max(...xs, 0), Math.min(...ys, 0), Math.max(...ys, 0)];
  const unit = Math.min(
    (WIDTH - 2 * PAD) / Math.max(maxX - minX, 1e-9),
    (HEIGHT - 2 * PAD) / Math.max(maxY - minY, 1e-9),
  );
  const offsetX = (WIDTH - unit * (maxX - minX)) / 2;
  const offsetY = (HEIGHT - unit * (maxY - minY)) / 2;
  return { x: (value) => offsetX + (value - minX) * unit, y: (value) => HEIGHT - (offsetY + (value - minY) * unit) };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
