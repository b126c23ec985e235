/**
 * Process entry for the `ficus` binary: the only place that calls process.exit.
 */
import { run } from './run.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
