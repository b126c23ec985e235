/*
 * The CDC benchmark's source side in C on librdkafka (Debian's librdkafka-dev), standing in
 * for Debezium's Kafka Connect producer: it costs a few µs of CPU per message where kafkajs
 * costs ~80 µs, so the pipeline under test gets the machine's cores. (kcat -P reads its input
 * in blocks and holds back the last lines until more come, which a paced producer cannot use.)
 *
 * Usage: producer <brokers> <topic>   reading lines `<partition>\t<key>\t<value>\n` from stdin;
 * an empty value is a tombstone (null). Messages go to the given partition in input order (the
 * idempotent producer keeps the order). At the end of input it flushes and exits 0, or 1 when a
 * message was not delivered. Built by bench/cdc/c-producer.ts into a temporary directory.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long failed = 0;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  (void)opaque;
  if (m->err && failed++ == 0) fprintf(stderr, "producer: delivery failed: %s\n", rd_kafka_err2str(m->err));
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "producer: %s=%s: %s\n", name, value, err);
    exit(2);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: producer <brokers> <topic> < lines of partition\\tkey\\tvalue\n");
    return 2;
  }
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", argv[1]);
  set(conf, "enable.idempotence", "true");
  set(conf, "linger.ms", "1");
  set(conf, "queue.buffering.max.messages", "1000000");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "producer: %s\n", err);
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n') line[--n] = '\0';
    char *key = strchr(line, '\t');
    char *value = key ? strchr(key + 1, '\t') : NULL;
    if (!value) {
      fprintf(stderr, "producer: expected partition\\tkey\\tvalue, got a line without two tabs\n");
      return 2;
    }
    *key++ = '\0';
    *value++ = '\0';
    size_t value_len = (size_t)(line + n - value);
    rd_kafka_resp_err_t e;
    while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(argv[2]), RD_KAFKA_V_PARTITION(atoi(line)), RD_KAFKA_V_KEY(key, strlen(key)),
                                  RD_KAFKA_V_VALUE(value_len ? value : NULL, value_len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(rk, 10);
    if (e) {
      fprintf(stderr, "producer: %s\n", rd_kafka_err2str(e));
      return 1;
    }
    rd_kafka_poll(rk, 0);
  }
  free(line);
  rd_kafka_flush(rk, 60000);
  if (rd_kafka_outq_len(rk) > 0) failed += rd_kafka_outq_len(rk);
  rd_kafka_destroy(rk);
  return failed ? 1 : 0;
}
