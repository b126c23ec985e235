// The deployment files (Dockerfile, .dockerignore, deploy/kubernetes, deploy/compose) checked
// without a container engine: every YAML parses; the configs they carry load through ficus's
// own loaders with the environment the manifests give them; the Deployment runs non-root on a
// read-only root with no capabilities and mounts the ConfigMap where the command looks; the
// compose stack's Debezium connector, Kafka listeners and ficus CDC config agree; the
// Dockerfile's COPY sources exist and its runtime stage is non-root. External linters (kubectl
// kustomize, hadolint, kubeconform) are not required: CI's machine is not promised to have them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseCdcConfig } from '../../cdc/index.js';
import { CoreErrorCode, isFicusError } from '../../core/index.js';
import { parseGatewayConfig } from '../../gateway/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const deploy = join(root, 'deploy');
const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');

type Obj = Record<string, any>; // manifests are untyped YAML

function files(dir: string, exts: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, exts);
    return exts.some((e) => name.endsWith(e)) ? [p] : [];
  });
}

/** Every YAML document in a file, failing on any parse error or warning. */
function yamlDocs(file: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true, uniqueKeys: true });
  for (const d of docs) expect([...d.errors, ...d.warnings], file).toEqual([]);
  return docs.map((d) => d.toJS() as Obj).filter((d) => d !== null);
}

const k8sDir = join(deploy, 'kubernetes');
const k8s = files(k8sDir, ['.yaml', '.yml']).flatMap((f) => yamlDocs(f).map((doc) => ({ file: basename(f), doc })));
const ofKind = (kind: string): Obj[] => k8s.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const one = (kind: string): Obj => {
  const all = ofKind(kind);
  expect(all, kind).toHaveLength(1);
  return all[0]!;
};

const TOKEN = 'test-admin-token-0123456789';
const DIFFS_URL = 'postgres://ficus:secret@db.example.internal:5432/ficus';

/** `${NAME}` references without a default in a config text. */
const envRefs = (text: string): string[] => [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);

describe('every deploy file parses', () => {
  it('YAML (all documents) and JSON', () => {
    const yamls = files(deploy, ['.yaml', '.yml']);
    expect(yamls.length).toBeGreaterThanOrEqual(10);
    for (const f of yamls) expect(yamlDocs(f).length, f).toBeGreaterThan(0);
    for (const f of files(deploy, ['.json'])) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
  });
});

describe('Kubernetes manifests', () => {
  const deployment = one('Deployment');
  const pod = deployment.spec.template.spec;
  const podLabels: Obj = deployment.spec.template.metadata.labels;
  const container = pod.containers.find((c: Obj) => c.name === 'gateway');
  const configMap = one('ConfigMap');
  const configText: string = configMap.data['ficus.gateway.yaml'];
  const env = { FICUS_ADMIN_TOKEN: TOKEN, FICUS_DIFFS_URL: DIFFS_URL };
  const selects = (selector: Obj): boolean => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

  it('name their kind and live in the ficus namespace; kustomization lists every manifest but the example Secret', () => {
    for (const { file, doc } of k8s) {
      if (doc.kind === 'Kustomization') continue;
      expect(doc.apiVersion, file).toBeTruthy();
      expect(doc.metadata?.name, file).toBeTruthy();
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, `${file} ${doc.kind}`).toBe('ficus');
    }
    const kustomization = one('Kustomization');
    const manifests = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' && f !== 'secret.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
    expect(kustomization.resources).not.toContain('secret.example.yaml');
  });

  it("the ConfigMap's ficus.gateway.yaml loads through ficus's loader: admin beyond loopback with the token, diffs to Postgres", () => {
    const config = parseGatewayConfig(configText, 'configmap:ficus.gateway.yaml', env);
    expect(config.listen.host).toBe('0.0.0.0');
    expect(config.admin).toMatchObject({ host: '0.0.0.0', token: TOKEN });
    expect(config.diffs).toMatchObject({ store: 'postgres', url: DIFFS_URL });
    expect(config.routes.length).toBeGreaterThan(0);
    // Without the Secret's token the gateway refuses the config rather than run an open admin API.
    let err: unknown;
    try {
      parseGatewayConfig(configText, 'configmap:ficus.gateway.yaml', { FICUS_DIFFS_URL: DIFFS_URL });
    } catch (e) {
      err = e;
    }
    expect(isFicusError(err) && err.code).toBe(CoreErrorCode.CONFIG_ENV);
  });

  it('fills every ${VAR} the config needs from the Secret the example describes', () => {
    const secret = parseYaml(readFileSync(join(k8sDir, 'secret.example.yaml'), 'utf8')) as Obj;
    const byName = new Map<string, Obj>(container.env.map((e: Obj) => [e.name, e]));
    for (const name of envRefs(configText)) {
      const ref = byName.get(name)?.valueFrom?.secretKeyRef;
      expect(ref, name).toBeDefined();
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(ref.key);
    }
  });

  it('runs several replicas non-root, read-only, without capabilities, under RuntimeDefault seccomp', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of pod.containers) {
      expect(c.securityContext, c.name).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
      expect(c.securityContext.capabilities.drop).toContain('ALL');
      expect(c.securityContext.capabilities.add ?? []).toEqual([]);
      expect(c.resources?.requests?.memory && c.resources?.limits?.memory, c.name).toBeTruthy();
    }
  });

  it('mounts the whole ConfigMap folder (no subPath) where --config points, and a volume where rollout state is written', () => {
    const args: string[] = container.args;
    const configPath = args[args.indexOf('--config') + 1]!;
    const mount = container.volumeMounts.find((m: Obj) => m.mountPath === posix.dirname(configPath));
    expect(mount, 'a mount at the --config folder').toBeDefined();
    expect(mount.subPath).toBeUndefined();
    const volume = pod.volumes.find((v: Obj) => v.name === mount.name);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const item = (volume.configMap.items ?? [{ key: posix.basename(configPath), path: posix.basename(configPath) }]).find(
      (i: Obj) => i.path === posix.basename(configPath),
    );
    expect(Object.keys(configMap.data)).toContain(item.key);
    // The image's CMD is the same command, so the manifest and a plain `docker run` agree.
    expect(args.slice(0, 3)).toEqual(dockerfileJson('CMD'));

    const config = parseGatewayConfig(configText, 'configmap', env);
    const writable: string[] = container.volumeMounts.filter((m: Obj) => !m.readOnly).map((m: Obj) => m.mountPath as string);
    const stateDir = posix.dirname(config.rollouts.state);
    expect(
      writable.some((p) => stateDir === p || stateDir.startsWith(`${p}/`)),
      stateDir,
    ).toBe(true);
  });

  it('probes named ports that match the config; liveness on the token-free /healthz', () => {
    const config = parseGatewayConfig(configText, 'configmap', env);
    const ports = new Map<string, number>(container.ports.map((p: Obj) => [p.name, p.containerPort]));
    expect(ports.get('http')).toBe(config.listen.port);
    expect(ports.get('admin')).toBe(config.admin.port);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'admin' });
    expect(container.startupProbe.httpGet).toMatchObject({ path: '/healthz', port: 'admin' });
    // /readyz needs the bearer token, which an httpGet probe cannot send: not probed with httpGet.
    expect(container.readinessProbe.httpGet?.path).not.toBe('/readyz');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
      if (port !== undefined) expect(ports.has(port) || [...ports.values()].includes(port), String(port)).toBe(true);
    }
  });

  it('keeps the admin Service internal, selects the pods everywhere, and limits the admin port', () => {
    const services = ofKind('Service');
    const admin = services.find((s) => s.spec.ports.some((p: Obj) => p.targetPort === 'admin'))!;
    const data = services.find((s) => s.spec.ports.some((p: Obj) => p.targetPort === 'http'))!;
    expect(admin.metadata.name).not.toBe(data.metadata.name);
    expect(admin.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(admin.spec.ports.every((p: Obj) => p.targetPort === 'admin' && p.nodePort === undefined)).toBe(true);
    for (const s of services) expect(selects(s.spec.selector), s.metadata.name).toBe(true);
    expect(selects(one('PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);

    const policy = one('NetworkPolicy');
    expect(selects(policy.spec.podSelector.matchLabels)).toBe(true);
    const adminRules = policy.spec.ingress.filter((r: Obj) => r.ports?.some((p: Obj) => p.port === 9901 || p.port === 'admin'));
    expect(adminRules.length).toBeGreaterThan(0);
    for (const r of adminRules) expect(r.from?.length, 'admin rule names its sources').toBeGreaterThan(0);
    // No rule opens every port (a rule without `ports` would include 9901).
    for (const r of policy.spec.ingress) expect(r.ports?.length).toBeGreaterThan(0);
  });
});

describe('docker-compose (Debezium path)', () => {
  const composeDir = join(deploy, 'compose');
  const compose = yamlDocs(join(composeDir, 'docker-compose.yml'))[0]!;
  const services: Obj = compose.services;
  const connector = JSON.parse(readFileSync(join(composeDir, 'connector.json'), 'utf8')) as { name: string; config: Record<string, string> };
  /** The host file bind-mounted at `target` in a service, resolved against deploy/compose. */
  const mounted = (service: Obj, target: string): string => {
    const v = (service.volumes as string[]).find((s) => s.split(':')[1] === target);
    expect(v, `${target} is mounted`).toBeDefined();
    return join(composeDir, v!.split(':')[0]!);
  };
  const hostPort = (url: string): string => {
    const u = new URL(url.includes('://') ? url : `kafka://${url}`);
    return `${u.hostname}:${u.port}`;
  };

  it('has Kafka (KRaft), Debezium Connect, two Postgres servers (the monolith one logical), the connector job and ficus', () => {
    for (const name of ['kafka', 'connect', 'monolith-db', 'service-db', 'register-connector', 'ficus-cdc', 'ficus-gateway'])
      expect(services, name).toHaveProperty(name);
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toContain('controller');
    expect(services['monolith-db'].command).toContain('wal_level=logical');
    for (const key of ['CONFIG_STORAGE_TOPIC', 'OFFSET_STORAGE_TOPIC', 'STATUS_STORAGE_TOPIC']) expect(services.connect.environment[key], key).toBeTruthy();
  });

  it('orders start-up with conditions the targets can meet', () => {
    const imageHealthcheck = new Set(['ficus:local']); // the Dockerfile's HEALTHCHECK (gateway admin /healthz)
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries<Obj>(s.depends_on ?? {})) {
        const target = services[dep];
        expect(target, `${name} depends on ${dep}`).toBeDefined();
        if (condition === 'service_healthy') {
          const hc = target!.healthcheck;
          expect(hc?.disable !== true && (hc?.test !== undefined || imageHealthcheck.has(target!.image)), `${dep} has a healthcheck`).toBe(true);
        } else expect(condition).toBe('service_completed_successfully');
        if (condition === 'service_completed_successfully') expect(target!.restart, dep).toBe('no');
      }
    }
    expect(services['register-connector'].depends_on['legacy-shop'].condition).toBe('service_healthy');
    expect(services['ficus-cdc'].depends_on['register-connector'].condition).toBe('service_completed_successfully');
  });

  it('registers a pgoutput connector whose topics, tables and database are the ones ficus-cdc reads', () => {
    const c = connector.config;
    expect(c['connector.class']).toBe('io.debezium.connector.postgresql.PostgresConnector');
    expect(c['plugin.name']).toBe('pgoutput');
    expect(c['database.hostname']).toBe('monolith-db');
    expect(c['database.dbname']).toBe(services['monolith-db'].environment.POSTGRES_DB);
    expect(services['register-connector'].command.join('\n')).toContain(connector.name);
    expect(mounted(services['register-connector'], '/connector.json')).toBe(join(composeDir, 'connector.json'));

    const cdc = services['ficus-cdc'];
    const args: string[] = cdc.command;
    expect(args.slice(0, 2)).toEqual(['cdc', 'run']);
    const file = mounted(cdc, args[args.indexOf('--config') + 1]!);
    const config = parseCdcConfig(readFileSync(file, 'utf8'), file, cdc.environment);
    const kafka = config.source.kafka!;
    const tables = c['table.include.list']!.split(',');
    expect([...kafka.topics!].sort()).toEqual(tables.map((t) => `${c['topic.prefix']}.${t}`).sort());
    expect(config.tables.map((t) => t.from).sort()).toEqual([...tables].sort());
    // The brokers ficus dials are the listener Kafka advertises inside the compose network.
    const advertised = (services.kafka.environment.KAFKA_ADVERTISED_LISTENERS as string).split(',').map(hostPort);
    for (const b of kafka.brokers) expect(advertised).toContain(hostPort(b));
    expect(new URL(config.sink.postgres!.url).hostname in services).toBe(true);
    // Same mapping as the sample the tests run: only the broker and sink differ.
    expect(config.tables).toEqual(
      parseCdcConfig(read('samples/ficus.cdc.yaml'), 'samples/ficus.cdc.yaml', { SERVICE_DATABASE_URL: 'postgres://x@y/z' }).tables,
    );
  });

  it("the gateway's config loads and points at the sample services on the ports they listen on", () => {
    const gw = services['ficus-gateway'];
    expect(gw.command).toBeUndefined(); // the image's CMD: gateway --config /etc/ficus/ficus.gateway.yaml
    const file = mounted(gw, dockerfileJson('CMD')[2]!);
    const env = { ...gw.environment, FICUS_ADMIN_TOKEN: TOKEN }; // compose requires it from .env
    const config = parseGatewayConfig(readFileSync(file, 'utf8'), file, env);
    expect(config.diffs.store).toBe('postgres');
    expect(new URL(config.diffs.url!).hostname in services).toBe(true);
    for (const [name, u] of Object.entries(config.upstreams)) {
      const url = new URL(u.url);
      expect(services, `${name} → ${url.hostname}`).toHaveProperty(url.hostname);
      expect(services[url.hostname]!.environment.PORT, name).toBe(url.port);
    }
  });
});

/** The JSON array of a Dockerfile instruction in the last stage (CMD, ENTRYPOINT). */
function dockerfileJson(instruction: string): string[] {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.startsWith(`${instruction} `));
  expect(lines.length, instruction).toBeGreaterThan(0);
  return JSON.parse(lines.at(-1)!.slice(instruction.length + 1)) as string[];
}

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split('\n').filter((l) => /^FROM\s/i.test(l));
  const runtime = text.slice(text.lastIndexOf('\nFROM '));

  it('builds in stages and runs the CLI as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const users = runtime.split('\n').filter((l) => l.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.slice(5).trim().split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
    expect(dockerfileJson('ENTRYPOINT')).toEqual(['node', 'bin/ficus.js']);
    const healthcheck = runtime.slice(runtime.indexOf('\nHEALTHCHECK '));
    expect(healthcheck).toMatch(/^\s*CMD \["node", "-e", .*\/healthz/m); // Node's fetch: no curl in the slim image
    // Production dependencies without the `prepare` build (it needs dev dependencies).
    expect(text).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('copies files that exist (or that the build makes) and that .dockerignore does not drop', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const ignored = (path: string): boolean => ignore.some((p) => minimatch(path, p, { dot: true }) || path.startsWith(`${p}/`));
    for (const p of ['node_modules', 'dist', '.git', 'test-output', 'ficus-report', 'ficus-diffs']) expect(ignored(p), p).toBe(true);

    const copies = text.split('\n').filter((l) => l.startsWith('COPY '));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line.split(/\s+/).slice(1);
      const fromStage = parts.some((p) => p.startsWith('--from='));
      const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
      for (const src of sources) {
        if (fromStage) continue; // made in an earlier stage, checked below
        if (src === '.') continue;
        expect(existsSync(join(root, src)), src).toBe(true);
        expect(ignored(src), `${src} is sent to the build`).toBe(false);
      }
    }
    for (const need of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-assets.mjs', 'cli/main.ts']) {
      expect(ignored(need), need).toBe(false);
    }
    // `COPY --from=build /app/dist`: tsc writes dist/ (outDir) from the repository root (rootDir),
    // and bin/ficus.js loads dist/cli/main.js, compiled from cli/main.ts.
    const tsconfig = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(text).toMatch(/COPY --from=build \/app\/dist /);
    expect(read('bin/ficus.js')).toContain("'../dist/cli/main.js'");
    expect(existsSync(join(root, 'cli/main.ts'))).toBe(true);
    // The samples the compose stack runs are compiled into dist/samples.
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    expect(build.include).toContain('samples');
    for (const s of ['legacy-shop/server.ts', 'catalog-service/server.ts', 'traffic/cli.ts']) expect(existsSync(join(root, 'samples', s)), s).toBe(true);
  });

  it('exposes the ports the Kubernetes config listens on', () => {
    const exposed = runtime
      .split('\n')
      .filter((l) => l.startsWith('EXPOSE '))
      .flatMap((l) => l.slice(7).trim().split(/\s+/).map(Number));
    const configMap = k8s.find((m) => m.doc.kind === 'ConfigMap')!.doc;
    const config = parseGatewayConfig(configMap.data['ficus.gateway.yaml'], 'configmap', { FICUS_ADMIN_TOKEN: TOKEN, FICUS_DIFFS_URL: DIFFS_URL });
    expect(exposed).toEqual(expect.arrayContaining([config.listen.port, config.admin.port]));
  });
});
