/**
 * `COPY … FROM STDIN` through node-postgres without pg-copy-streams (not a dependency): a
 * Submittable — the query interface pg offers for custom protocol flows, the one
 * pg-copy-streams itself implements — that answers the server's CopyInResponse with the given
 * text in CopyData messages, then CopyDone. Resolves with the number of rows copied.
 *
 * @example
 *   await copyIn(client, 'COPY t (a, b) FROM STDIN', 'x\t1\ny\t2\n');
 */
import type pg from 'pg';

interface Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  query(text: string): void;
}

const CHUNK = 64 * 1024;

export function copyIn(client: pg.ClientBase, sql: string, text: string | Buffer): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const submittable = {
      submit(connection: Connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: Connection) {
        for (let at = 0; at < data.length; at += CHUNK) connection.sendCopyFromChunk(data.subarray(at, at + CHUNK));
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        const m = /COPY (\d+)/.exec(msg.text ?? '');
        rows = m ? Number(m[1]) : 0;
      },
      // pg detaches the query on an error, so no ReadyForQuery reaches it after one.
      handleError(err: Error) {
        reject(err);
      },
      handleReadyForQuery() {
        resolve(rows);
      },
      // Not expected for COPY FROM; present so pg never calls an undefined handler.
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    (client as unknown as { query(s: unknown): unknown }).query(submittable);
  });
}
