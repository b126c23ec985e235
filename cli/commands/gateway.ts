/**
 * `ficus gateway --config ficus.gateway.yaml [--check]`: runs the strangler-fig gateway — the
 * data plane on `listen`, the admin API on `admin` — until SIGINT/SIGTERM. SIGHUP or a change
 * to the file reloads it: the new config is validated whole, and an invalid one is refused
 * (logged, counted, shown on /readyz) while the old one keeps serving. `--check` validates
 * and prints the routes in the order they are matched, then exits.
 */
import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import { createLogger } from '../../core/index.js';
import { buildAdmin, buildGateway, createReloader, loadGatewayConfig, primeIoPaths, routeOrder, type GatewayConfig } from '../../gateway/index.js';
import type { CliIO } from '../io.js';

function describe(config: GatewayConfig): string {
  const lines = [`listen ${config.listen.host}:${config.listen.port}, admin ${config.admin.host}:${config.admin.port}, unmatched paths → ${config.monolith}`];
  lines.push('upstreams:');
  for (const [name, u] of Object.entries(config.upstreams)) lines.push(`  ${name.padEnd(16)} ${u.url} (timeout ${u.timeoutMs} ms)`);
  lines.push('routes, in the order they are matched (most specific first):');
  for (const r of routeOrder(config)) {
    const id = r.id;
    const methods = r.match.methods?.join(',') ?? 'any method';
    const headers = r.match.headers ? ` headers ${JSON.stringify(r.match.headers)}` : '';
    lines.push(
      `  ${id.padEnd(20)} ${r.match.path}${r.match.exact ? ' (exact)' : ''} [${methods}]${headers} → ${r.service}, ${r.mode ?? 'monolith'}${r.mode === 'canary' ? ` ${r.weight ?? 0}%` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export default defineCommand({
  meta: { name: 'gateway', description: 'Run the strangler-fig gateway in front of the monolith' },
  args: {
    config: { type: 'string', description: 'Gateway config (YAML or JSON)', default: 'ficus.gateway.yaml' },
    check: { type: 'boolean', description: 'Validate the config, print the route order, and exit' },
    'log-level': { type: 'string', description: 'pino level: fatal, error, warn, info, debug, trace, silent', default: 'info' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const file = resolve(io.cwd, String(args.config));
    const config = await loadGatewayConfig(file, io.env);
    if (args.check) {
      io.stdout.write(`${file}: valid\n${describe(config)}`);
      return 0;
    }
    const logger = createLogger({ level: String(args['log-level']) as 'info', base: { part: 'gateway' } });
    // Before any traffic: the first socket torn down under load would deoptimise the hot I/O path (prime.ts).
    const primed = await primeIoPaths();
    logger.debug({ ...primed, ms: Math.round(primed.ms) }, 'I/O paths primed');
    const gateway = await buildGateway({ config, logger });
    const admin = await buildAdmin(gateway, { logger });
    // The reload thread warms up before traffic: at its low priority it might not get the core later.
    const reloader = createReloader(gateway.runtime, file, io.env, logger.child({ mod: 'reload' }));
    await reloader.ready;
    const bound = await gateway.listen();
    await admin.listen({ host: config.admin.host, port: config.admin.port });
    io.stdout.write(
      `ficus gateway on http://${bound.address}:${bound.port} (${config.routes.length} routes); admin on http://${config.admin.host}:${config.admin.port}\n`,
    );
    if (admin.generatedToken) io.stdout.write(`admin token (generated for this run; set admin.token to choose one): ${admin.generatedToken}\n`);

    reloader.watch();
    const onHup = (): void => void reloader.reload('SIGHUP');
    process.on('SIGHUP', onHup);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    reloader.close();
    process.off('SIGHUP', onHup);
    await admin.close();
    await gateway.close();
    return 0;
  },
});
