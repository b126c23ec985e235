/**
 * Headless Debian Chromium driven by playwright-core (no browser download): the binary of
 * Debian's `chromium` package, started with the flags this machine needs.
 *
 * @example
 *   const browser = await launchChromium();
 *   afterAll(() => browser.close());
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { MissingServiceError } from './services.js';

const CANDIDATES = [process.env.FICUS_CHROMIUM, '/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) {
    throw new MissingServiceError('Chromium', "install Debian's chromium package ('apt-get install -y chromium', or run bash .ci/run)");
  }
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
