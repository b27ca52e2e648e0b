import { describe, expect, it } from 'vitest';
import { chooseTicks, LABEL_SPACE, labelWidth, OVERHANG, UNMEASURED_WIDTH, type AxisTick } from './axis';

const labels = (ticks: AxisTick[]) => ticks.map((tick) => tick.label);
const times = (ticks: AxisTick[]) => ticks.map((tick) => tick.ms);

/** Each drawn label's extent in pixels, as the axis lays it out. */
const extents = (ticks: AxisTick[], width: number) =>
  ticks
    .filter((tick) => tick.label !== undefined)
    .map((tick) => {
      const w = labelWidth(tick.label!);
      const left = tick.align === 'end' ? tick.at * width - w : tick.at * width;
      return { left, right: left + w };
    });

describe('chooseTicks', () => {
  it('spaces round steps by the width: the 2.5 s trace of the e2e test gets half seconds at 348 px, no crowding at the end', () => {
    const ticks = chooseTicks(2500, 348);
    expect(times(ticks)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    // The last line is at the very end: its label would touch "2.0 s", so only the line is drawn.
    expect(labels(ticks)).toEqual(['0', '0.5 s', '1.0 s', '1.5 s', '2.0 s', undefined]);
    expect(ticks.map((tick) => tick.at)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('takes a coarser step when narrower and a finer one when wider', () => {
    expect(labels(chooseTicks(2500, 150))).toEqual(['0', '1 s', '2 s']);
    const wide = chooseTicks(2500, 1000);
    expect(times(wide)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400]);
    expect(wide[1]?.label).toBe('0.2 s');
  });

  it('labels in one unit, chosen by the length of the trace, with the decimals the step needs', () => {
    expect(labels(chooseTicks(0.04, 360))).toEqual(['0', '10 µs', '20 µs', '30 µs', '40 µs']);
    expect(labels(chooseTicks(900, 360))).toEqual(['0', '200 ms', '400 ms', '600 ms', '800 ms']);
    expect(labels(chooseTicks(61_000, 400)).slice(0, 3)).toEqual(['0', '10 s', '20 s']);
    expect(labels(chooseTicks(300_000, 360)).slice(0, 3)).toEqual(['0', '1 min', '2 min']);
    expect(labels(chooseTicks(5 * 3_600_000, 360)).slice(0, 3)).toEqual(['0', '1 h', '2 h']);
  });

  it('draws a label close to the right end left of its line', () => {
    const ticks = chooseTicks(0.04, 360);
    expect(ticks.at(-1)).toEqual({ ms: 0.04, at: 1, label: '40 µs', align: 'end' });
    expect(ticks.slice(0, -1).every((tick) => tick.align === 'start')).toBe(true);
  });

  it('never lets two labels come closer than half the label space, nor run past the end', () => {
    for (const duration of [0.003, 0.04, 0.7, 3, 45, 137, 999, 1250, 2500, 7300, 59_000, 61_000, 600_000, 4_000_000, 90_000_000]) {
      for (const width of [80, 150, 240, 348, 500, 733, 1200]) {
        const ticks = chooseTicks(duration, width);
        const drawn = extents(ticks, width);
        drawn.slice(1).forEach((label, i) => expect(label.left - drawn[i]!.right, `${duration} ms in ${width} px`).toBeGreaterThanOrEqual(LABEL_SPACE / 2));
        for (const label of drawn) expect(label.right).toBeLessThanOrEqual(width + OVERHANG);
        // One step, 1, 2 or 5 times a power of ten of the unit, and one unit and one number of decimals for all.
        const steps = new Set(times(ticks).slice(1).map((t, i) => Number((t - times(ticks)[i]!).toPrecision(6))));
        expect(steps.size, `${duration} ms in ${width} px`).toBeLessThanOrEqual(1);
        const texts = drawn.length > 1 ? labels(ticks).filter((l): l is string => l !== undefined && l !== '0') : [];
        expect(new Set(texts.map((l) => l.split(' ')[1])).size).toBeLessThanOrEqual(1);
        expect(new Set(texts.map((l) => l.split(' ')[0]!.split('.')[1]?.length ?? 0)).size).toBeLessThanOrEqual(1);
        const mantissa = texts[0] === undefined ? undefined : Number(texts[0].split(' ')[0]);
        if (mantissa !== undefined) expect(Number((mantissa / 10 ** Math.floor(Math.log10(mantissa))).toPrecision(6))).toBeOneOf([1, 2, 5]);
      }
    }
  });

  it('measures nothing for an empty trace and assumes a width before layout', () => {
    expect(chooseTicks(0, 360)).toEqual([{ ms: 0, at: 0, label: '0', align: 'start' }]);
    expect(chooseTicks(Number.NaN, 360)).toHaveLength(1);
    expect(chooseTicks(1250, 0)).toEqual(chooseTicks(1250, UNMEASURED_WIDTH));
  });
});
