/*
 * Just enough of Prometheus' text exposition format (version 0.0.4) for the server's metrics:
 * counters, gauges and histograms, each with `# HELP` and `# TYPE`, label values escaped. A
 * client library would bring a registry and default process metrics nobody asked for.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

/** A histogram with fixed upper bounds; `+Inf` is implied. */
export class Histogram {
  private readonly counts: number[];
  private total = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.bounds.forEach((bound, i) => {
      if (value <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
    this.total += value;
    this.count++;
  }

  /** Cumulative bucket lines, then `_sum` and `_count`, as the format wants them. */
  lines(name: string): string[] {
    return [
      ...this.bounds.map((bound, i) => `${name}_bucket{le="${bound}"} ${this.counts[i] ?? 0}`),
      `${name}_bucket{le="+Inf"} ${this.count}`,
      `${name}_sum ${this.total}`,
      `${name}_count ${this.count}`,
    ];
  }
}

/** One metric family: its help and type lines, then its samples. */
export function family(
  name: string,
  type: 'counter' | 'gauge' | 'histogram',
  help: string,
  samples: readonly string[],
): string {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples].join('\n');
}

/** A family of one unlabelled sample: a counter or a gauge. */
export function scalar(name: string, type: 'counter' | 'gauge', help: string, value: number): string {
  return family(name, type, help, [sample(name, {}, value)]);
}

/** `name{a="1",b="2"} value`, label values escaped as the format asks (backslash, quote, newline). */
export function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(
    ([key, label]) => `${key}="${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`;
}
