import { createRateTracker, formatDuration, phasesOf, progressRows, rowText, type PhaseCounts, type ProgressRow } from './progress-model.js';

/**
 * The progress display: on a terminal a block of lines redrawn in place (ANSI: cursor up, clear line) at most
 * ten times a second; otherwise a plain line every few seconds. Messages (an experiment finished, a conflict, a
 * difference) print above the live block, or as their own lines.
 */
export interface ProgressDisplay {
  update(counts: Readonly<PhaseCounts>): void;
  /** A line of its own, kept in the output. */
  message(text: string): void;
  /** The last state drawn (on a terminal) and the timers stopped. */
  stop(): void;
}

export interface DisplayOptions {
  readonly out: NodeJS.WritableStream & { columns?: number };
  readonly title: string;
  readonly now?: () => number;
  /** Plain mode: milliseconds between lines. */
  readonly intervalMs?: number;
}

const REDRAW_MS = 100;
const SAMPLE_MS = 250;
const ESC = '\u001b[';

/** The live block's lines: a title, the phases in columns, the elapsed time. */
export const ttyLines = (title: string, rows: readonly ProgressRow[], elapsedMs: number): string[] => {
  const texts = rows.map(rowText);
  const labelWidth = Math.max(...texts.map((text) => text.label.length));
  const valueWidth = Math.max(...texts.map((text) => text.value.length));
  const rateWidth = Math.max(...texts.map((text) => text.rate.length));
  return [
    title,
    ...texts.map((text) => `  ${text.label.padEnd(labelWidth)}  ${text.value.padEnd(valueWidth)}  ${text.rate.padStart(rateWidth)}  ${text.eta}`.trimEnd()),
    `  ${formatDuration(elapsedMs)} elapsed`,
  ];
};

/** One plain line: `[12 s] experiments 3 / 3, runs 4 (2.1/s), …`. */
export const plainLine = (rows: readonly ProgressRow[], elapsedMs: number): string =>
  `[${formatDuration(elapsedMs)}] ${rows
    .map(rowText)
    .map((text) => `${text.label} ${text.value}${text.rate ? ` (${text.rate})` : ''}${text.eta && text.eta !== 'done' ? ` ${text.eta}` : ''}`)
    .join(', ')}`;

const createState = (now: () => number) => {
  const startedAt = now();
  const rates = createRateTracker(startedAt);
  let counts: Readonly<PhaseCounts> | undefined;
  const timer = setInterval(() => counts && rates.sample(now(), phasesOf(counts)), SAMPLE_MS);
  timer.unref();
  return {
    startedAt,
    set(next: Readonly<PhaseCounts>) {
      counts = next;
    },
    rows: () => (counts ? progressRows(phasesOf(counts), rates, startedAt, now()) : undefined),
    stop: () => clearInterval(timer),
  };
};

export const createTtyDisplay = (options: DisplayOptions): ProgressDisplay => {
  const now = options.now ?? Date.now;
  const { out } = options;
  const state = createState(now);
  let drawn = 0;
  let dirty = false;
  let drawnAt = -Infinity;
  const clip = (line: string) => (out.columns && line.length > out.columns ? line.slice(0, out.columns - 1) : line);
  const erase = () => {
    if (drawn > 0) out.write(`${ESC}${drawn}F${ESC}0J`);
    drawn = 0;
  };
  const draw = () => {
    const rows = state.rows();
    if (!rows) return;
    const lines = ttyLines(options.title, rows, now() - state.startedAt).map(clip);
    erase();
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
    dirty = false;
    drawnAt = now();
  };
  out.write(`${ESC}?25l`);
  const timer = setInterval(() => dirty && draw(), REDRAW_MS);
  timer.unref();
  return {
    update(counts) {
      state.set(counts);
      dirty = true;
    },
    message(text) {
      erase();
      out.write(`${text}\n`);
      // Many messages in a burst leave the block for the timer to draw, keeping to ten redraws a second.
      if (now() - drawnAt >= REDRAW_MS) draw();
      else dirty = true;
    },
    stop() {
      clearInterval(timer);
      state.stop();
      draw();
      out.write(`${ESC}?25h`);
    },
  };
};

export const createPlainDisplay = (options: DisplayOptions): ProgressDisplay => {
  const now = options.now ?? Date.now;
  const { out } = options;
  const state = createState(now);
  out.write(`${options.title}\n`);
  const timer = setInterval(() => {
    const rows = state.rows();
    if (rows) out.write(`${plainLine(rows, now() - state.startedAt)}\n`);
  }, options.intervalMs ?? 5000);
  timer.unref();
  return {
    update: (counts) => state.set(counts),
    message: (text) => void out.write(`${text}\n`),
    stop() {
      clearInterval(timer);
      state.stop();
    },
  };
};
