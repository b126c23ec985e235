// Read coalescing on a real loopback TCP pair: after a small read the socket waits before it
// hands on more; a busy read does not wait; a holder's pause wins; stop() lets go at once.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_READ_BYTES, coalesceReads } from './coalesce.js';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A connected pair: `peer` writes, `socket` is read (with Nagle off, like the walsender's). */
async function pair(): Promise<{ socket: Socket; peer: Socket }> {
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const [peer] = await accepted;
  peer.setNoDelay(true);
  sockets.push(socket, peer);
  return { socket, peer };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `reads` holds `total` bytes. */
async function until(reads: Buffer[], total: number): Promise<void> {
  while (reads.reduce((n, b) => n + b.length, 0) < total) await sleep(5);
}

describe('coalesceReads', () => {
  it('after a small read takes nothing in while it waits, then everything in order', async () => {
    const { socket, peer } = await pair();
    const reads: Buffer[] = [];
    socket.on('data', (b: Buffer) => reads.push(b));
    coalesceReads(socket, 400, () => false);
    peer.write('a');
    await until(reads, 1);
    const parts = 'bcdefghijk'.split('');
    for (const part of parts) {
      peer.write(part);
      await tick();
    }
    await sleep(100);
    expect(reads.map(String)).toEqual(['a']);
    await until(reads, 11);
    expect(reads.map(String).join('')).toBe('abcdefghijk');
  });

  it('reads each small write apart without it (the cost it saves)', async () => {
    const { socket, peer } = await pair();
    const reads: Buffer[] = [];
    socket.on('data', (b: Buffer) => reads.push(b));
    coalesceReads(socket, 0, () => false);
    for (const part of ['a', 'b', 'c']) {
      peer.write(part);
      await until(reads, reads.length + 1);
    }
    expect(reads.map(String)).toEqual(['a', 'b', 'c']);
  });

  it('keeps reading after a busy read, without waiting', async () => {
    const { socket, peer } = await pair();
    let paused = 0;
    const pause = socket.pause.bind(socket);
    socket.pause = () => {
      paused++;
      return pause();
    };
    const reads: Buffer[] = [];
    socket.on('data', (b: Buffer) => reads.push(b));
    coalesceReads(socket, 300, () => false);
    peer.write(Buffer.alloc(4 * BUSY_READ_BYTES, 7));
    await until(reads, 4 * BUSY_READ_BYTES);
    // Every turn but the last read a full buffer; only a small last one may pause.
    expect(reads.length).toBeGreaterThan(1);
    expect(paused).toBeLessThanOrEqual(1);
  });

  it('leaves the socket paused while the holder holds it, and stop() resumes it', async () => {
    const { socket, peer } = await pair();
    const reads: Buffer[] = [];
    socket.on('data', (b: Buffer) => reads.push(b));
    let held = true;
    const c = coalesceReads(socket, 20, () => held);
    peer.write('a');
    await until(reads, 1);
    peer.write('b');
    await sleep(150);
    expect(reads.map(String)).toEqual(['a']);
    expect(socket.isPaused()).toBe(true);
    held = false;
    socket.resume();
    await until(reads, 2);
    expect(reads.map(String).join('')).toBe('ab');

    peer.write('c');
    await until(reads, 3);
    // Waiting again after the small read of 'c': stop() must not leave it paused.
    await tick();
    expect(socket.isPaused()).toBe(true);
    c.stop();
    expect(socket.isPaused()).toBe(false);
    peer.write('d');
    await until(reads, 4);
    expect(reads.map(String).join('')).toBe('abcd');
  });
});
