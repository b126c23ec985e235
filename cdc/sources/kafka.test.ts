/** The Kafka source refuses bad options at once (no broker is contacted). */
import { describe, expect, it } from 'vitest';
import { createKafkaSource, type KafkaSourceOptions } from './kafka.js';

const base: KafkaSourceOptions = { brokers: ['127.0.0.1:9092'], groupId: 'g', topics: ['t'], positions: async () => new Map() };

describe('createKafkaSource options', () => {
  it('accepts a topic list or a topic pattern', () => {
    expect(() => createKafkaSource(base)).not.toThrow();
    expect(() => createKafkaSource({ ...base, topics: undefined, topicPattern: '^shop\\.public\\..*' })).not.toThrow();
  });
  it.each([
    ['no brokers', { brokers: [] }],
    ['both topics and a pattern', { topicPattern: '.*' }],
    ['neither topics nor a pattern', { topics: undefined }],
    ['an invalid pattern', { topics: undefined, topicPattern: '(' }],
    ['no group', { groupId: '' }],
  ])('refuses %s with CDC_SOURCE_OPTIONS', (_name, patch) => {
    expect(() => createKafkaSource({ ...base, ...patch } as KafkaSourceOptions)).toThrow(expect.objectContaining({ code: 'CDC_SOURCE_OPTIONS' }));
  });
});
