// Application settings for the shop, read once from the environment with legacy defaults.

export interface ShopConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  currency: string;
  /** Sales tax applied to (subtotal - discount), e.g. 0.08 for 8%. */
  taxRate: number;
  defaultPageSize: number;
  maxPageSize: number;
  sessionTtlHours: number;
  lowStockThreshold: number;
  defaultCarrierCode: string;
  maxNotificationAttempts: number;
}

export const defaultConfig: ShopConfig = Object.freeze({
  port: 3000,
  host: '127.0.0.1',
  databaseUrl: undefined,
  currency: 'USD',
  taxRate: 0.08,
  defaultPageSize: 20,
  maxPageSize: 100,
  sessionTtlHours: 24,
  lowStockThreshold: 5,
  defaultCarrierCode: 'UPS',
  maxNotificationAttempts: 5,
});

function intFromEnv(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${name} must be an integer between 0 and 65535, got "${value}"`);
  }
  return n;
}

/** Reads PORT, HOST and DATABASE_URL; everything else keeps its default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  return Object.freeze({
    ...defaultConfig,
    port: intFromEnv(env.PORT, defaultConfig.port, 'PORT'),
    host: env.HOST || defaultConfig.host,
    databaseUrl: env.DATABASE_URL || undefined,
  });
}
