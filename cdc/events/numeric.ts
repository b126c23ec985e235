/**
 * Exact numbers: Kafka Connect `Decimal` (big-endian two's-complement unscaled bytes + scale),
 * Debezium `VariableScaleDecimal` ({scale, value}), and int64 text. Results are exact decimal
 * strings; nothing passes through a double.
 *
 *   decimalFromBytes(Buffer.from([0xfb, 0x2e]), 2)  // '-12.34'
 */

/** The signed integer in big-endian two's-complement bytes (Java's BigInteger.toByteArray). */
export function unscaledFromBytes(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  const negative = (bytes[0] as number) >= 0x80;
  return negative ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

/** unscaled × 10^-scale as an exact decimal string; keeps `scale` fraction digits (12.50 stays '12.50'). */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? '-' : '';
  if (scale <= 0) return digits === '0' ? '0' : `${sign}${digits}${'0'.repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

export function decimalFromBytes(bytes: Buffer, scale: number): string {
  return formatDecimal(unscaledFromBytes(bytes), scale);
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * A JSON number's text (or a numeric string) as an exact plain decimal: exponents expanded,
 * at least `minScale` fraction digits. Undefined when the text is not a number.
 *
 *   decimalFromText('1.5E-3')  // '0.0015'
 */
export function decimalFromText(text: string, minScale = 0): string | undefined {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return undefined;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  let scale = frac.length - Number(exp);
  let unscaled = BigInt(`${sign}${int}${frac}`);
  if (scale < minScale) {
    unscaled *= 10n ** BigInt(minScale - scale);
    scale = minScale;
  }
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return formatDecimal(unscaled, scale);
}

const INTEGER_TEXT = /^-?\d+$/;

/** An integer's text as a number when it is a safe integer, else as its exact decimal string. */
export function exactInteger(text: string): number | string | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return BigInt(text).toString();
}
