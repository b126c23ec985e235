/**
 * The traffic CLI's arguments: declared once for citty (which parses and renders usage) and
 * turned into validated `TrafficOptions` here, so the CLI can be tested without spawning it.
 * A bad argument raises `TrafficArgError` whose message names the value and what is valid.
 */
import { parseArgs, type ArgsDef } from 'citty';
import type { TrafficOptions } from './generator.js';
import { MIX_NAMES, type MixName } from './mix.js';

export class TrafficArgError extends Error {
  readonly code = 'TRAFFIC_BAD_ARGUMENT';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'TrafficArgError';
  }
}

export const trafficArgs = {
  base: {
    type: 'string',
    description: 'Base URL to send to, e.g. http://127.0.0.1:8080',
    valueHint: 'url',
  },
  rate: { type: 'string', description: 'Requests per second', default: '50' },
  duration: {
    type: 'string',
    description: 'How long to send: 500ms, 30s, 2m, or seconds',
    default: '30s',
  },
  mix: {
    type: 'string',
    description: `Request mix: ${MIX_NAMES.join(' | ')}`,
    default: 'catalog',
  },
  seed: {
    type: 'string',
    description: 'Seed for the request plan (same seed, same requests)',
    default: '1',
  },
  concurrency: {
    type: 'string',
    description: 'Most requests in flight; slots beyond it are dropped',
    default: '16',
  },
  timeout: {
    type: 'string',
    description: 'Per-request timeout (counted as an error)',
    default: '10s',
  },
  customers: {
    type: 'string',
    description: 'Customer ids 1..n used for x-user-id',
    default: '50',
  },
  json: { type: 'boolean', description: 'Print the summary as JSON' },
} as const satisfies ArgsDef;

export interface CliOptions {
  traffic: Omit<TrafficOptions, 'signal' | 'onSend'>;
  json: boolean;
}

/** "30s" → 30000, "500ms" → 500, "2m" → 120000, "1.5" → 1500. */
export function parseDuration(text: string, flag = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms =
    m === null ? NaN : Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm'];
  if (!(ms > 0))
    throw new TrafficArgError(`--${flag} must be a positive duration like 500ms, 30s or 2m, got "${text}"`);
  return ms;
}

function positive(text: string, flag: string, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new TrafficArgError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  }
  return n;
}

const known = new Set(Object.keys(trafficArgs));

/** Refuses flags citty would silently ignore, and stray positionals. */
function checkUnknown(rawArgs: readonly string[]): void {
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (!arg.startsWith('-')) {
      throw new TrafficArgError(`unexpected argument "${arg}"; options are --${[...known].join(', --')}`);
    }
    const name = arg.replace(/^--?(no-)?/, '').split('=')[0]!;
    if (!known.has(name))
      throw new TrafficArgError(`unknown option "${arg}"; options are --${[...known].join(', --')}`);
    const def = trafficArgs[name as keyof typeof trafficArgs];
    if (def.type === 'string' && !arg.includes('=')) i += 1;
  }
}

export function parseCliOptions(rawArgs: readonly string[]): CliOptions {
  checkUnknown(rawArgs);
  const args = parseArgs<typeof trafficArgs>([...rawArgs], trafficArgs);
  const value = (flag: keyof typeof trafficArgs): string => {
    const v = args[flag];
    if (typeof v !== 'string') throw new TrafficArgError(`--${flag} needs a value`);
    return v;
  };
  if (args.base === undefined) throw new TrafficArgError('--base is required, e.g. --base http://127.0.0.1:8080');
  const base = value('base');
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TrafficArgError(`--base must be an http(s) URL like http://127.0.0.1:8080, got "${base}"`);
  }
  const mix = value('mix');
  if (!(MIX_NAMES as readonly string[]).includes(mix)) {
    throw new TrafficArgError(`--mix must be one of ${MIX_NAMES.join(', ')}, got "${mix}"`);
  }
  const seedText = value('seed');
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || seed > 0xffffffff) {
    throw new TrafficArgError(`--seed must be an integer from 0 to 4294967295, got "${seedText}"`);
  }
  return {
    json: args.json === true,
    traffic: {
      base,
      rate: positive(value('rate'), 'rate', false),
      durationMs: parseDuration(value('duration')),
      mix: mix as MixName,
      seed,
      concurrency: positive(value('concurrency'), 'concurrency', true),
      timeoutMs: parseDuration(value('timeout'), 'timeout'),
      customers: positive(value('customers'), 'customers', true),
    },
  };
}
