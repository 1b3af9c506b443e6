/**
 * One streamed read as a node-postgres submittable that pipelines the whole transaction: the first flight (one
 * write, the socket corked) carries `BEGIN`, `SET LOCAL statement_timeout`, the SELECT's Parse/Bind/Describe and the
 * Execute of its first batch; the last carries `COMMIT` and Sync. When the first batch covers every row the consumer
 * can take (`rowsAtMost`), `COMMIT` and Sync go in the first flight too and the read is one round trip: the consumer
 * has stopped, or the portal has ended, by the batch's last row, so no second Execute can be needed. Otherwise a page
 * whose rows fit a batch costs two round trips (pg-cursor spent one for BEGIN, one for Parse/Describe, one per 100
 * rows, one for Close and one for COMMIT).
 *
 * Rows are decoded and handed to the consumer one by one as their DataRow messages arrive, never collected into a
 * batch: a batch only bounds how many rows the server sends past the point where the consumer has enough. Its size
 * is a byte budget over the bytes per row (the consumer's estimate for the first batch, then the largest DataRow
 * measured), so a page of narrow rows is read in one batch and wide rows a few at a time. A batch sized by an
 * estimate far below its rows is not waited for past DROPPED_BYTES_AT_MOST after the consumer stopped.
 *
 * Statement timeout: in the extended protocol the server's timer starts with the SELECT's Parse (after the SET
 * LOCAL completed) and runs until its portal completes, across suspended Executes: the whole read, as before.
 */
import type pg from 'pg';
import type { SqlParam } from '../engine';

/** What a batch of rows may weigh on the wire (the server sends that much at most beyond the consumer's stop). */
export const BATCH_BYTES = 2 * 1024 * 1024;
/** Rows of any batch at most (the statement's LIMIT bounds it anyway). */
const BATCH_ROWS_MAX = 100_000;
/**
 * What the server may still send after the consumer stopped before the read gives its connection up instead of
 * waiting for the rest of the batch (bytes of DataRow messages). A batch sized by a good estimate carries no more than
 * BATCH_BYTES; one sized by an estimate far below the rows (the consumer's guess from earlier pages, when rows grow by
 * orders of magnitude) could carry every row the statement's LIMIT allows, each of them sent, received and dropped.
 */
export const DROPPED_BYTES_AT_MOST = 2 * BATCH_BYTES;

/** The parts of pg's internal Result class used here (pg-cursor uses the same). */
export interface PgResult {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown[];
}
export type PgResultClass = new (rowMode: 'array', types: unknown) => PgResult;

/** The parts of pg's Connection a submittable writes to. */
interface PgConnection {
  stream: { cork(): void; uncork(): void };
  parse(query: { text: string }): void;
  bind(config: { portal?: string; values?: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  flush(): void;
  sync(): void;
}

export interface PortalReadOptions {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** The server's statement_timeout for the read (ms, ≥ 1). */
  readonly statementTimeoutMs: number;
  /** The consumer's estimate of a row's size (bytes), for the first batch. */
  readonly rowBytes: number;
  /** `onRow` returns false at this row at the latest (see RowStreamOptions). */
  readonly rowsAtMost?: number;
  readonly onRow: (row: unknown[]) => boolean;
  readonly Result: PgResultClass;
  readonly types: unknown;
  readonly prepareValue: (value: unknown) => unknown;
}

export function batchRows(rowBytes: number): number {
  return Math.max(1, Math.min(BATCH_ROWS_MAX, Math.floor(BATCH_BYTES / Math.max(1, rowBytes))));
}

export class PortalRead implements pg.Submittable {
  /** Settles once the server is ready for the next query: how the read ended, or its error. */
  readonly done: Promise<'complete' | 'stopped'>;
  private settle!: (end: 'complete' | 'stopped') => void;
  private fail!: (error: unknown) => void;
  private connection: PgConnection | undefined;
  private readonly result: PgResult;
  /** CommandCompletes of BEGIN and SET LOCAL still to come before the SELECT's. */
  private controlsLeft = 2;
  private phase: 'reading' | 'closing' | 'done' = 'reading';
  private end: 'complete' | 'stopped' = 'complete';
  private failure: unknown;
  private synced = false;
  /** COMMIT and Sync are on their way (sent with the first flight, or after the last row wanted). */
  private committing = false;
  private largestRowBytes = 0;
  private droppedBytes = 0;
  /** The read settled without waiting for its portal to end: its connection must never be used again. */
  abandoned = false;

  constructor(private readonly options: PortalReadOptions) {
    this.result = new options.Result('array', options.types);
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    // Settled only through handleError or handleReadyForQuery; the caller awaits it.
    this.done.catch(() => {});
  }

  submit(connection: pg.Connection): void {
    const con = connection as unknown as PgConnection;
    this.connection = con;
    con.stream.cork();
    try {
      con.parse({ text: 'BEGIN' });
      con.bind({});
      con.execute({});
      con.parse({ text: `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.options.statementTimeoutMs))}` });
      con.bind({});
      con.execute({});
      con.parse({ text: this.options.sql });
      con.bind({ values: [...this.options.params], valueMapper: this.options.prepareValue });
      con.describe({ type: 'P' });
      const batch = batchRows(this.options.rowBytes);
      const { rowsAtMost } = this.options;
      if (rowsAtMost !== undefined && rowsAtMost >= 1 && rowsAtMost <= batch) {
        con.execute({ rows: rowsAtMost });
        this.sendCommit(con);
      } else {
        con.execute({ rows: batch });
        con.flush();
      }
    } finally {
      con.stream.uncork();
    }
  }

  /** COMMIT and Sync (the caller corks the socket). */
  private sendCommit(con: PgConnection): void {
    con.parse({ text: 'COMMIT' });
    con.bind({});
    con.execute({});
    con.sync();
    this.committing = true;
    this.synced = true;
  }

  /** Ends the transaction (which also drops the portal): COMMIT and Sync, in one write, unless already sent. */
  private close(): void {
    if (this.phase !== 'reading') return;
    this.phase = 'closing';
    if (this.committing) return;
    const con = this.connection!;
    con.stream.cork();
    try {
      this.sendCommit(con);
    } finally {
      con.stream.uncork();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.result.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[]; length: number }): void {
    if (this.end === 'stopped' && this.phase === 'closing') {
      // A row after the consumer stopped: dropped, and past DROPPED_BYTES_AT_MOST the rest is not waited for.
      this.droppedBytes += message.length;
      if (this.droppedBytes > DROPPED_BYTES_AT_MOST) this.abandon();
      return;
    }
    if (this.phase !== 'reading' || this.end === 'stopped') return;
    if (message.length > this.largestRowBytes) this.largestRowBytes = message.length;
    let more: boolean;
    try {
      more = this.options.onRow(this.result.parseRow(message.fields));
    } catch (error) {
      this.failure = error;
      more = false;
    }
    if (!more) {
      // The rest of the batch still arrives (and is dropped); the server runs COMMIT after it.
      this.end = 'stopped';
      this.close();
    }
  }

  handlePortalSuspended(): void {
    if (this.phase !== 'reading') return;
    if (this.committing) {
      // COMMIT went with the first flight, so this portal ends with it: the consumer must have stopped by now.
      if (this.end !== 'stopped') {
        this.failure ??= new Error('the read took more rows than rowsAtMost allowed; its portal has ended');
        this.end = 'stopped';
      }
      this.phase = 'closing';
      return;
    }
    const con = this.connection!;
    con.stream.cork();
    try {
      con.execute({ rows: batchRows(this.largestRowBytes || this.options.rowBytes) });
      con.flush();
    } finally {
      con.stream.uncork();
    }
  }

  handleCommandComplete(): void {
    if (this.controlsLeft > 0) {
      this.controlsLeft--;
      return;
    }
    // The SELECT's portal ran to its end (or, while closing, COMMIT completed).
    this.close();
  }

  handleEmptyQuery(): void {
    this.close();
  }

  handleReadyForQuery(): void {
    this.phase = 'done';
    if (this.failure !== undefined) this.fail(this.failure);
    else this.settle(this.end);
  }

  /**
   * Settles at once with what the consumer took; the caller gives the connection up (pg then closes its socket, as it
   * does for a client ended with a query still active), which ends the server's statement and transaction.
   */
  private abandon(): void {
    this.abandoned = true;
    this.handleReadyForQuery();
  }

  handleError(error: unknown): void {
    // pg no longer routes messages to this read: the server skips to the Sync, which must be sent (once).
    if (this.phase === 'done') return;
    this.phase = 'done';
    if (!this.synced && this.connection) {
      this.synced = true;
      try {
        this.connection.sync();
      } catch {
        // The socket is gone: the connection is given up by the caller.
      }
    }
    this.fail(error);
  }

  // Never sent by a SELECT; part of pg's submittable contract.
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}
