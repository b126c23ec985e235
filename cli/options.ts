/**
 * Parsing of option values shared by commands: comma lists, `key=value` weights, numbers.
 * Each bad value is a CliError naming the flag and what would be valid.
 */
import { REPORT_FORMATS, type ReportFormat } from '../reports/index.js';
import { CliError, CliErrorCode } from './errors.js';

export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseFormats(value: string): ReportFormat[] {
  const list = parseList(value);
  for (const f of list) {
    if (!REPORT_FORMATS.includes(f as ReportFormat)) {
      throw new CliError(CliErrorCode.BAD_VALUE, `--format "${f}" is not a report format; valid: ${REPORT_FORMATS.join(', ')}`);
    }
  }
  if (list.length === 0) throw new CliError(CliErrorCode.BAD_VALUE, `--format is empty; valid: ${REPORT_FORMATS.join(', ')}`);
  return [...new Set(list as ReportFormat[])];
}

export function parseNumber(flag: string, value: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  const bad = !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max);
  if (bad) {
    const range = [opts.min !== undefined ? `≥ ${opts.min}` : '', opts.max !== undefined ? `≤ ${opts.max}` : ''].filter(Boolean).join(' and ');
    throw new CliError(CliErrorCode.BAD_VALUE, `--${flag} "${value}" is not ${opts.integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}`);
  }
  return n;
}

/** `static=1,data=0.8` → { static: 1, data: 0.8 }, keys checked against `valid`. */
export function parseWeights(value: string | undefined, valid: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of parseList(value)) {
    const [key, raw] = item.split('=');
    if (!key || raw === undefined || !valid.includes(key)) {
      throw new CliError(CliErrorCode.BAD_VALUE, `--weights "${item}" must be name=number with name one of ${valid.join(', ')}`);
    }
    const n = parseNumber('weights', raw, { min: 0 });
    out[key] = n as number;
  }
  return out;
}
