/**
 * Debian's nginx (package nginx-light) for tests that run a peer reverse proxy beside the
 * gateway: the binary's path, or a MissingServiceError saying how to install it.
 */
import { existsSync } from 'node:fs';
import { MissingServiceError } from './services.js';

const CANDIDATES = [process.env.FICUS_NGINX, '/usr/sbin/nginx', '/usr/bin/nginx'];

export function nginxPath(): string {
  const found = CANDIDATES.find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) throw new MissingServiceError('nginx', "install Debian's nginx-light package ('apt-get install -y nginx-light', or run bash .ci/run)");
  return found;
}
