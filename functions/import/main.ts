/**
 * `npm run import`: brings an MLflow server's or mlruns folder's history into Cairn, or with `--verify` compares
 * them (issue 15). The flags are read in cli/args.ts, the pieces put together in cli/run.ts.
 */
import { EXIT, HELP, parseCliArgs, UsageError } from './cli/args.js';
import { runCli } from './cli/run.js';

const cleanups: (() => void)[] = [];
const io = { debug: Boolean(process.env.CAIRN_DEBUG) };

// Everything written before an interruption stays written and the checkpoint is durable: the next run continues.
process.once('SIGINT', () => {
  for (const cleanup of cleanups) cleanup();
  process.stderr.write('\ncairn import: interrupted; run the same command again to continue where it stopped.\n');
  process.exit(EXIT.interrupted);
});

const main = async (): Promise<number> => {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cairn import: ${error.message}\n(npm run import -- --help says how to use it)\n`);
    return EXIT.failure;
  }
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  try {
    return await runCli(parsed, { out: process.stdout, env: process.env, onInterrupt: (cleanup) => cleanups.push(cleanup) });
  } catch (error) {
    const message = error instanceof Error ? (io.debug ? error.stack ?? error.message : error.message) : String(error);
    process.stderr.write(`cairn import: ${message}\n`);
    if (!parsed.verify && !(error instanceof UsageError)) process.stderr.write('Nothing finished is lost: run the same command again to continue where it stopped.\n');
    return EXIT.failure;
  }
};

// Exits at once: idle keep-alive connections to the source must not hold the process open.
process.exit(await main());
