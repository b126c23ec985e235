/**
 * The fronts the probe set runs against, each before the probe upstreams with the same routes
 * and limits: ficus's gateway (built in-process: `/svc` in service mode, `/sh` shadowed,
 * everything else to the monolith) and Debian's nginx as a reverse proxy configured the way
 * its documentation recommends for the same job (upstream keepalive over HTTP/1.1, the
 * WebSocket `Upgrade`/`Connection` mapping, X-Forwarded-*, `/sh` mirrored to the service).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../core/index.js';
import { buildGateway, parseGatewayConfig } from '../../../gateway/index.js';
import { LIMIT_BODY, LIMIT_HEADERS } from './model.js';
import type { ProbeUpstreams } from './upstreams.js';

export interface Front {
  readonly port: number;
  close(): Promise<void>;
}

export const NGINX = '/usr/sbin/nginx';

export async function startFicusFront(ups: ProbeUpstreams): Promise<Front> {
  const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${ups.monolith.url} }
  svc: { url: ${ups.service.url} }
routes:
  - { id: svc, match: { path: /svc }, service: svc, mode: service }
  - { id: sh, match: { path: /sh }, service: svc, mode: shadow, shadow: { unsafeMethods: always } }
limits: { maxBodyBytes: ${LIMIT_BODY}, maxHeaderBytes: ${LIMIT_HEADERS} }
diffs: { store: none }
`);
  const gw = await buildGateway({ config, logger: createLogger({ level: 'silent' }) });
  const { port } = await gw.listen(0, '127.0.0.1');
  return { port, close: () => gw.close() };
}

/**
 * nginx.conf for the probes. Headers: a 1 KiB buffer, then one large buffer of maxHeaderBytes
 * (so a request line or header over the limit is refused, as is a head much over it).
 */
export function nginxConfig(dir: string, port: number, ups: ProbeUpstreams): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  client_max_body_size ${LIMIT_BODY};
  client_header_buffer_size 1k;
  large_client_header_buffers 1 ${LIMIT_HEADERS};
  upstream monolith { server 127.0.0.1:${ups.monolith.port}; keepalive 8; }
  upstream service { server 127.0.0.1:${ups.service.port}; keepalive 8; }
  # https://nginx.org/en/docs/http/websocket.html, with '' for keepalive when there is no Upgrade.
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  # The client's Host, or the upstream's when it sent none (HTTP/1.0).
  map $http_host $upstream_host { '' $proxy_host; default $http_host; }
  server {
    listen 127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Host $upstream_host;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-Host $http_host;
    location / { proxy_pass http://monolith; }
    location /svc { proxy_pass http://service; }
    location /sh { mirror /_mirror; proxy_pass http://monolith; }
    location = /_mirror { internal; proxy_pass http://service$request_uri; }
  }
}
`;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function listening(port: number, exited: () => string | null): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const why = exited();
    if (why !== null) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within 5 s`);
}

/** Starts nginx (the binary at `bin`) with its config, pid, logs and temp files in a fresh temp dir. */
export async function startNginxFront(ups: ProbeUpstreams, bin = NGINX): Promise<Front & { readonly errorLog: () => Promise<string> }> {
  if (!existsSync(bin)) throw new Error(`nginx is not installed at ${bin} (apt-get install -y nginx-light)`);
  const dir = await mkdtemp(join(tmpdir(), 'ficus-probes-nginx-'));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, d));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, port, ups));
  const child = spawn(bin, ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.once('error', () => undefined); // a spawn failure shows as the exit below
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = (): Promise<string> => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  try {
    await listening(port, () => (child.exitCode !== null ? `nginx exited with ${child.exitCode}: ${stderr.trim()}` : null));
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    errorLog,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
