/**
 * Building a gateway without listening (fastify's build/listen split, so tests inject and
 * choose ports): the runtime state, the data-plane server (node:http, or https with the
 * listener's certificate) with the proxy handler and the upgrade handler, the shadow
 * dispatcher, the diff writer and the rollout controller (its state loaded and re-applied
 * before anything is served). `listen()` binds the data plane; the admin API is built
 * on the same gateway by admin/ and listens on its own port.
 */
import { readFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FicusError, type Logger } from '../core/index.js';
import type { GatewayConfig } from './config/load.js';
import { GatewayErrorCode } from './errors.js';
import type { DiffStore } from './model.js';
import { createHandler } from './proxy/handler.js';
import { createUpgradeHandler } from './proxy/upgrade.js';
import { RolloutController } from './rollout/controller.js';
import { createFileStateStore, type RolloutStateStore } from './rollout/state.js';
import { GatewayRuntime } from './runtime.js';
import { ShadowDispatcher } from './shadow/dispatch.js';
import { inlineJudge, threadJudge, type JudgePort } from './shadow/judges.js';
import { createDiffWriter, type DiffWriter } from './store/writer.js';
import { openDiffStore } from './store/index.js';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Defaults to the store the config names. */
  readonly diffStore?: DiffStore;
  readonly random?: () => number;
  readonly now?: () => Date;
  /** Defaults to the file config.rollouts.state names. */
  readonly rolloutStore?: RolloutStateStore;
  /** How often rollout gates are judged (ms, default 1000); 0 leaves it to `rollouts.tick()` (tests). */
  readonly rolloutTickMs?: number;
  /** Sends rollout webhooks (default: POST JSON, 5 s timeout). */
  readonly postWebhook?: (url: string, body: unknown) => Promise<void>;
  /** Where differing shadow answers are judged (default: as config limits.shadowJudge says, judgeFor). */
  readonly judge?: JudgePort;
}

export interface Gateway {
  readonly runtime: GatewayRuntime;
  readonly server: Server;
  readonly dispatcher: ShadowDispatcher;
  readonly writer: DiffWriter;
  readonly store: DiffStore;
  readonly rollouts: RolloutController;
  /** Binds the data plane (port 0 = any free port) and returns the bound address. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), flushes diffs, closes pools. */
  close(graceMs?: number): Promise<void>;
}

function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new FicusError(GatewayErrorCode.TLS_FILE, `listen.tls.${what}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      exitCode: 2,
      cause: err,
    });
  }
}

/**
 * The shadow judge `limits.shadowJudge` asks for. `thread` pays for large bodies and costs for small
 * ones, on one core and on two (bench/RESULTS.md, main-thread section), so it is not the default.
 */
export function judgeFor(where: 'thread' | 'inline', logger: Logger, script?: URL): JudgePort {
  return where === 'thread' ? threadJudge(logger, script ? { script } : {}) : inlineJudge();
}

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  const runtime = new GatewayRuntime(config, { logger: logger.child({ mod: 'runtime' }), ...(options.now && { now: options.now }) });
  const store = options.diffStore ?? (await openDiffStore(config.diffs));
  const writer = createDiffWriter(store, { logger: logger.child({ mod: 'diffs' }) });
  runtime.metrics.bindWriter(() => writer.stats());
  const shadowLog = logger.child({ mod: 'shadow' });
  const dispatcher = new ShadowDispatcher({
    runtime,
    diffs: writer,
    logger: shadowLog,
    judge: options.judge ?? judgeFor(config.limits.shadowJudge, shadowLog),
    ...(options.random && { random: options.random }),
    ...(options.now && { now: options.now }),
  });
  const rollouts = new RolloutController({
    runtime,
    store: options.rolloutStore ?? createFileStateStore(config.rollouts.state),
    logger: logger.child({ mod: 'rollout' }),
    ...(options.now && { now: options.now }),
    ...(options.rolloutTickMs !== undefined && { tickMs: options.rolloutTickMs }),
    ...(options.postWebhook && { post: options.postWebhook }),
  });
  await rollouts.start();
  const tls = config.listen.tls;
  const proto = tls?.cert && tls.key ? 'https' : 'http';
  const handler = createHandler({
    runtime,
    shadow: dispatcher,
    proto,
    accessLog: logger.child({ mod: 'access' }),
    ...(options.random && { random: options.random }),
  });
  const serverOptions = { maxHeaderSize: config.limits.maxHeaderBytes, requestTimeout: 300_000, headersTimeout: 60_000, keepAliveTimeout: 65_000 };
  const server: Server =
    proto === 'https'
      ? (https.createServer({ ...serverOptions, cert: readFile(tls!.cert!, 'cert'), key: readFile(tls!.key!, 'key') }, handler) as unknown as Server)
      : http.createServer(serverOptions, handler);
  const upgrade = createUpgradeHandler(runtime, proto, options.random);
  const tunnels = new Set<import('node:stream').Duplex>();
  server.on('upgrade', (req, socket, head) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    upgrade(req, socket, head);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const text = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({ error: `${text.toLowerCase()}${err.code ? ` (${err.code})` : ''}` });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  // A reverse proxy is no forward proxy: CONNECT gets a 405 instead of a silently closed connection.
  server.on('connect', (_req, socket) => {
    const body = JSON.stringify({ error: 'CONNECT is not supported: this is a reverse proxy' });
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  return {
    runtime,
    server,
    dispatcher,
    writer,
    store,
    rollouts,
    listen(port = config.listen.port, host = config.listen.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = 5_000) {
      // Stop accepting; close connections as they go idle; cut what is left after the grace.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      for (const t of tunnels) t.destroy();
      await closed;
      clearInterval(idle);
      clearTimeout(cut);
      for (let i = 0; i < 50 && dispatcher.pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await dispatcher.close();
      await rollouts.stop();
      await writer.close();
      await runtime.close();
    },
  };
}
