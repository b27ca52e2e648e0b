/** A palette with enough contrast on light and dark backgrounds; runs beyond it cycle. */
const PALETTE = ['#1f77b4', '#e6550d', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#3182bd', '#fd8d3c', '#74c476', '#9e9ac8', '#fdae6b'];

export const runColor = (index: number, explicit?: string): string => explicit ?? PALETTE[index % PALETTE.length]!;

/** The colour with an alpha, for bands: accepts #rgb and #rrggbb. */
export const withAlpha = (color: string, alpha: number): string => {
  const hex = color.replace('#', '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return color;
  const n = Number.parseInt(full, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
};
