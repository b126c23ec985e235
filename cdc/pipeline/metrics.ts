/**
 * Prometheus metrics of the CDC pipeline (prom-client) on a registry of its own, never the
 * global one: messages by outcome (events/s is their rate), batch size, apply latency, lag from
 * the source commit (`ts_ms`) to applied, and the Kafka lag per partition (high watermark −
 * next offset). `serveMetrics` exposes them on `/metrics` for `--metrics-port`.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface PipelineMetrics {
  readonly registry: Registry;
  readonly messages: Counter<'outcome'>;
  readonly batchSize: Histogram;
  readonly applySeconds: Histogram;
  readonly lagSeconds: Histogram;
  readonly kafkaLag: Gauge<'topic' | 'partition'>;
  readonly retries: Counter;
}

export function createPipelineMetrics(registry: Registry = new Registry()): PipelineMetrics {
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: 'ficus_cdc_messages_total',
      help: 'Messages consumed, by outcome: change, dead-letter, control, unmapped, skipped',
      labelNames: ['outcome'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'ficus_cdc_batch_size',
      help: 'Messages per applied batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
      registers,
    }),
    applySeconds: new Histogram({
      name: 'ficus_cdc_apply_seconds',
      help: 'Time to apply a batch and commit its positions (including retries)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    lagSeconds: new Histogram({
      name: 'ficus_cdc_lag_seconds',
      help: 'Source commit time (ts_ms) to applied in the target',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    kafkaLag: new Gauge({
      name: 'ficus_cdc_kafka_lag_messages',
      help: 'Messages behind the high watermark per partition, after the last applied batch',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    retries: new Counter({ name: 'ficus_cdc_apply_retries_total', help: 'Batch applies retried after a retriable sink error', registers }),
  };
}

/** Serves the registry on http://host:port/metrics; resolves with the listening server. */
export async function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('not found; metrics are on /metrics\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
