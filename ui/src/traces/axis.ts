/** The timeline's time axis: round ticks spaced by the width there is, labelled in one unit. */

export interface AxisTick {
  ms: number;
  /** Where the tick sits, as a fraction of the axis width. */
  at: number;
  /** Undefined where the label would collide with its neighbour: the grid line stays, the text goes. */
  label: string | undefined;
  /** `end` puts the label left of its line, for a tick too close to the right edge for the text to follow it. */
  align: 'start' | 'end';
}

/** The unit of a whole axis, chosen by its length, so every label reads alike ("0.5 s", "1.0 s", "1.5 s"). */
const UNITS = [
  { name: 'µs', ms: 0.001, belowMs: 1 },
  { name: 'ms', ms: 1, belowMs: 1000 },
  { name: 's', ms: 1000, belowMs: 120_000 },
  { name: 'min', ms: 60_000, belowMs: 2 * 3_600_000 },
  { name: 'h', ms: 3_600_000, belowMs: Infinity },
] as const;

/** Free space wanted between one label's end and the next tick, in pixels. */
export const LABEL_SPACE = 24;
/** How far a label may run past the axis's right end: the track's right margin (`.timeline-axis` in traces.css). */
export const OVERHANG = 12;
/** The width assumed before the axis is laid out (and in jsdom, which lays nothing out). */
export const UNMEASURED_WIDTH = 360;

/**
 * A label's width in the axis's 11px sans-serif, from the glyph widths of DejaVu Sans and its kin (digits 0.64em,
 * dot and space 0.32em, m 0.97em), plus the tick's 3px padding and 1px line. A slight overestimate errs toward
 * fewer ticks, never toward overlap.
 */
export const labelWidth = (label: string): number => {
  let width = 4;
  for (const char of label) width += /[0-9]/.test(char) ? 7 : char === '.' || char === ' ' ? 3.5 : char === 'm' ? 11 : 7;
  return width;
};

/** 1, 2, 5, 10, 20, 50, ... times `10 ** fromPower`, upward. */
function* niceSteps(fromPower: number): Generator<number> {
  for (let power = fromPower; ; power++) for (const m of [1, 2, 5]) yield Number((m * 10 ** power).toPrecision(12));
}

const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/**
 * The axis ticks for `durationMs` over `widthPx`: the smallest round step (1, 2 or 5 times a power of ten, in
 * the axis's unit) whose ticks sit at least a label and LABEL_SPACE apart. Labels carry as many decimals as
 * the step needs, all the same. A last label that would run past the right edge is drawn left of its line, and
 * dropped if it would then touch the label before it (its grid line stays).
 */
export const chooseTicks = (durationMs: number, widthPx: number): AxisTick[] => {
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) return [{ ms: 0, at: 0, label: '0', align: 'start' }];
  const width = widthPx > 0 ? widthPx : UNMEASURED_WIDTH;
  const unit = UNITS.find((u) => durationMs < u.belowMs) ?? UNITS[4];
  const total = durationMs / unit.ms;

  let values: number[] = [0];
  let labels: string[] = ['0'];
  for (const step of niceSteps(Math.floor(Math.log10(total)) - 3)) {
    if (step > total) break;
    const count = Math.floor(total / step + 1e-9);
    values = Array.from({ length: count + 1 }, (_, k) => Number((k * step).toPrecision(12)));
    const decimals = decimalsOf(step);
    labels = values.map((v) => (v === 0 ? '0' : `${v.toFixed(decimals)} ${unit.name}`));
    const widest = Math.max(...labels.map(labelWidth));
    if ((step / total) * width >= widest + LABEL_SPACE) break;
  }

  const ticks: AxisTick[] = [];
  let lastRight = -Infinity;
  values.forEach((value, k) => {
    const at = value / total;
    const x = at * width;
    const label = labels[k] ?? '';
    const w = labelWidth(label);
    const align = x + w > width + OVERHANG ? 'end' : 'start';
    const left = align === 'end' ? x - w : x;
    const fits = left >= lastRight + LABEL_SPACE / 2;
    if (fits) lastRight = left + w;
    ticks.push({ ms: value * unit.ms, at, label: fits ? label : undefined, align });
  });
  return ticks;
};
