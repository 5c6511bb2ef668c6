/**
 * One colour per source, the same in the map and its legend. Okabe–Ito's colour-blind-safe
 * palette first; past it, golden-angle hues keep neighbouring sources apart.
 */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

export function sourceColour(rank: number): string {
  return PALETTE[rank] ?? `hsl(${Math.round((rank * 137.508) % 360)} 65% 42%)`;
}
