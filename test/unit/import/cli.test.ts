import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseSince, UsageError } from '../../../functions/import/cli/args.js';
import { defaultCheckpointPath } from '../../../functions/import/cli/checkpoint-path.js';
import { credentialsFrom } from '../../../functions/import/cli/open-source.js';
import { createPlainDisplay, createTtyDisplay, plainLine, ttyLines } from '../../../functions/import/cli/progress-display.js';
import { createRateTracker, formatBytes, formatDuration, phasesOf, progressRows, type PhaseCounts } from '../../../functions/import/cli/progress-model.js';
import { differenceLine } from '../../../functions/import/cli/report.js';

const counts = (fields: Partial<PhaseCounts> = {}): PhaseCounts => ({
  experimentsTotal: 10,
  experiments: 0,
  runs: 0,
  metricPoints: 0,
  artifactFiles: 0,
  artifactBytes: 0,
  loggedModels: 0,
  registeredModels: 0,
  modelVersions: 0,
  ...fields,
});

describe('the import command line', () => {
  it('reads the flags, with .cairn as the default target and comma-separated selections', () => {
    // Act
    const parsed = parseCliArgs(['--from', 'http://mlflow:5000', '--experiments', '1,2', '--experiments', '2, 3', '--models', 'a', '--since', '2024-05-01', '--token', 't']);

    // Assess
    expect(parsed).toEqual({
      help: false,
      from: 'http://mlflow:5000',
      to: '.cairn',
      experimentIds: ['1', '2', '3'],
      modelNames: ['a'],
      since: Date.UTC(2024, 4, 1),
      verify: false,
      credentials: { kind: 'bearer', token: 't' },
      logIntervalSeconds: 5,
      plain: false,
    });
  });

  it.each([
    [[], '--from is required'],
    [['--from', 'x', '--since', 'yesterday'], '--since takes an ISO 8601 date'],
    [['--from', 'x', '--username', 'a'], '--username and --password go together'],
    [['--from', 'x', '--token', 't', '--username', 'a', '--password', 'b'], 'either --token or --username'],
    [['--from', 'x', '--experiments', ','], '--experiments needs at least one name'],
    [['--from', 'x', '--log-interval', '0'], '--log-interval must be a positive number'],
    [['--from', 'x', '--frm', 'y'], "Unknown option '--frm'"],
  ])('refuses %j: %s', (argv, message) => {
    // Act
    const parse = () => parseCliArgs(argv);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });

  it('takes --since as epoch milliseconds or an ISO date and time', () => {
    expect(parseSince('1700000000000')).toBe(1_700_000_000_000);
    expect(parseSince('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
  });

  it("takes each end's credentials from the flags, else from that end's variables (a token first)", () => {
    // Prepare
    const names = { username: 'CAIRN_USERNAME', password: 'CAIRN_PASSWORD', token: 'CAIRN_TOKEN' };
    const env = { CAIRN_USERNAME: 'admin', CAIRN_PASSWORD: 'pw', MLFLOW_TRACKING_TOKEN: 'm' };

    // Act & Assess
    expect(credentialsFrom({ kind: 'bearer', token: 'flag' }, env, names)).toEqual({ kind: 'bearer', token: 'flag' });
    expect(credentialsFrom(undefined, env, names)).toEqual({ kind: 'basic', username: 'admin', password: 'pw' });
    expect(credentialsFrom(undefined, { ...env, CAIRN_TOKEN: 'c' }, names)).toEqual({ kind: 'bearer', token: 'c' });
    expect(credentialsFrom(undefined, {}, names)).toBeUndefined();
  });

  it('names the checkpoint after source, target and selection', () => {
    // Act
    const plain = defaultCheckpointPath('/d', '/src', '/dst', {});
    const same = defaultCheckpointPath('/d', '/src', '/dst', {});
    const others = [
      defaultCheckpointPath('/d', '/src2', '/dst', {}),
      defaultCheckpointPath('/d', '/src', 'http://cairn', {}),
      defaultCheckpointPath('/d', '/src', '/dst', { experimentIds: ['1'] }),
      defaultCheckpointPath('/d', '/src', '/dst', { since: 5 }),
    ];

    // Assess
    expect(plain).toMatch(/^\/d\/[0-9a-f]{16}\.jsonl$/);
    expect(same).toBe(plain);
    expect(new Set([plain, ...others]).size).toBe(5);
    expect(defaultCheckpointPath('/d', '/s', '/t', { experimentIds: ['2', '1'] })).toBe(defaultCheckpointPath('/d', '/s', '/t', { experimentIds: ['1', '2'] }));
  });

  it('prints a difference with both sides, saying which side has none', () => {
    expect(differenceLine({ item: 'run abc', aspect: "param 'lr'", source: "'0.1'", cairn: undefined })).toBe("run abc: param 'lr': source '0.1', Cairn has none");
  });
});

describe('the progress display', () => {
  it('smooths rates: a steady rate converges, a burst shows as a rise', () => {
    // Prepare
    const rates = createRateTracker(0, 1000);

    // Act: 1,000 points a second for 10 s, sampled every 250 ms
    for (let at = 250; at <= 10_000; at += 250) rates.sample(at, phasesOf(counts({ metricPoints: at })));
    const steady = rates.rate('points');
    rates.sample(10_250, phasesOf(counts({ metricPoints: 10_000 + 100_000 })));
    const afterBurst = rates.rate('points');

    // Assess
    expect(steady).toBeCloseTo(1000, 0);
    expect(afterBurst).toBeGreaterThan(steady);
    expect(afterBurst).toBeLessThan(400_000);
  });

  it('estimates the time left only where the total is known', () => {
    // Act: 2 of 10 experiments in 4 s
    const rows = progressRows(phasesOf(counts({ experiments: 2, runs: 7 })), createRateTracker(0), 0, 4000);

    // Assess
    expect(rows[0]).toMatchObject({ label: 'experiments', count: 2, total: 10, etaMs: 16_000 });
    expect(rows[1]).toMatchObject({ label: 'runs', count: 7 });
    expect(rows[1]).not.toHaveProperty('etaMs');
  });

  it('lays out the terminal block in columns, and a plain line per interval', () => {
    // Prepare
    const rows = progressRows(phasesOf(counts({ experiments: 10, runs: 1234, metricPoints: 5_000_000, artifactFiles: 3, artifactBytes: 2048 })), createRateTracker(0), 0, 61_000);

    // Act
    const block = ttyLines('Importing x into y', rows, 61_000);
    const line = plainLine(rows, 61_000);

    // Assess
    expect(block).toEqual([
      'Importing x into y',
      '  experiments        10 / 10            done',
      '  runs               1,234',
      '  metric points      5,000,000',
      '  artifacts          3 files, 2.0 KB',
      '  logged models      0',
      '  registered models  0 (0 versions)',
      '  1m01s elapsed',
    ]);
    expect(line).toBe(
      '[1m01s] experiments 10 / 10, runs 1,234, metric points 5,000,000, artifacts 3 files, 2.0 KB, logged models 0, registered models 0 (0 versions)',
    );
  });

  it('redraws the terminal block in place with ANSI, at most ten times a second, messages above it', async () => {
    // Prepare
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const display = createTtyDisplay({ out, title: 'T' });

    // Act: many updates at once, then a message
    for (let runs = 1; runs <= 1000; runs++) display.update(counts({ runs }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    display.message('experiment 1 done');
    display.stop();

    // Assess: hidden cursor, one draw for the burst, erased (cursor up, clear) before the message, shown at the end
    expect(written.startsWith('\u001b[?25l')).toBe(true);
    expect(written.match(/^T$/gm)?.length).toBeLessThanOrEqual(3);
    expect(written).toContain('\u001b[8F\u001b[0Jexperiment 1 done\n');
    expect(written).toContain('  runs               1,000');
    expect(written.endsWith('\u001b[?25h')).toBe(true);
  });

  it('writes plain lines without escape codes when the output is no terminal', async () => {
    // Prepare
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const display = createPlainDisplay({ out, title: 'T', intervalMs: 30 });

    // Act
    display.update(counts({ runs: 5 }));
    display.message('experiment 1 done');
    await new Promise((resolve) => setTimeout(resolve, 100));
    display.stop();

    // Assess
    expect(written).not.toContain('\u001b');
    const lines = written.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['T', 'experiment 1 done']);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines.slice(2)) expect(line).toMatch(/^\[\d+\.\d s\] experiments 0 \/ 10, runs 5, /);
  });

  it('formats sizes and durations for people', () => {
    expect([formatBytes(0), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['0 B', '1.5 KB', '5.0 GB']);
    expect([formatDuration(1234), formatDuration(42_000), formatDuration(3_725_000)]).toEqual(['1.2 s', '42 s', '1h02m']);
  });
});
