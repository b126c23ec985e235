/**
 * The traffic generator's command line:
 *
 *   node dist/samples/traffic/cli.js --base http://127.0.0.1:8080 --rate 50 --duration 30s \
 *     [--mix catalog|shop] [--seed 1] [--concurrency 16] [--json]
 *
 * Prints one summary line (or JSON) on stdout. Exit codes: 0 done, 1 no request got any HTTP
 * response, 2 bad arguments (one line on stderr). Ctrl-C stops sending, waits for requests in
 * flight and still prints the summary.
 */
import { defineCommand, renderUsage } from 'citty';
import { runTraffic } from './generator.js';
import { parseCliOptions, trafficArgs, TrafficArgError } from './options.js';
import { formatSummary } from './summary.js';

const command = defineCommand({
  meta: {
    name: 'traffic',
    description: 'Replay a realistic request mix at a fixed rate against a base URL',
  },
  args: trafficArgs,
});

async function main(rawArgs: string[]): Promise<number> {
  if (rawArgs.includes('--help') || rawArgs.includes('-h')) {
    process.stdout.write(`${await renderUsage(command)}\n`);
    return 0;
  }
  let options;
  try {
    options = parseCliOptions(rawArgs);
  } catch (err) {
    if (err instanceof TrafficArgError) {
      process.stderr.write(`traffic: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summary = await runTraffic({ ...options.traffic, signal: stop.signal });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.stdout.write(`${options.json ? JSON.stringify(summary) : formatSummary(summary)}\n`);
  if (summary.sent > 0 && summary.errors === summary.sent) {
    process.stderr.write(`traffic: no request to ${options.traffic.base} got a response\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`traffic: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
