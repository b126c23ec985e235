/**
 * The Kafka side alone, as a raw limit beside `ficus cdc run` (the issue names "kafkajs consume"
 * as one): a kafkajs consumer with the settings the ficus source uses (consumer group,
 * `eachBatch`, offsets resolved by hand, 8 partitions at once, `maxWaitTimeInMs` 20 — see
 * pipeline.ts), which only counts the messages, or with `--parse` also runs `JSON.parse` on each
 * value: the least any JSON decoding of these messages costs. It writes its running count to
 * stdout after every batch and exits once it has seen `total` messages.
 *
 * Usage: node dist/bench/cdc/consume.js <brokers,…> <topic> <groupId> <total> [--parse]
 */
import { Kafka, logLevel } from 'kafkajs';

const [brokers, topic, groupId, totalText, flag] = process.argv.slice(2);
const total = Number(totalText);
const parse = flag === '--parse';
const kafka = new Kafka({ brokers: brokers!.split(','), clientId: 'ficus-bench-consume', logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: groupId!, maxWaitTimeInMs: 20 });
let count = 0;
let bytes = 0;
let keys = 0;
await consumer.connect();
await consumer.subscribe({ topics: [topic!], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 8,
  eachBatch: async ({ batch, resolveOffset }) => {
    for (const m of batch.messages) {
      if (m.value !== null) {
        bytes += m.value.length;
        // Touch the result so the parse cannot be skipped.
        if (parse) keys += Object.keys(JSON.parse(m.value.toString('utf8')) as object).length;
      }
      count++;
    }
    const last = batch.messages.at(-1);
    if (last) resolveOffset(last.offset);
    process.stdout.write(`${count}\n`);
    if (count >= total) {
      process.stdout.write(`done ${count} messages, ${bytes} bytes, ${keys} top-level keys\n`);
      setImmediate(() => void consumer.disconnect().then(() => process.exit(0)));
    }
  },
});
