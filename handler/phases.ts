/**
 * Where one request's time went, for its "request finished" log line (secretMs, connectMs, catalogMs, readMs,
 * writeMs): a slow call says by itself whether it waited for the secret, the connection (driver load, TLS, login),
 * the table's metadata, or the statements. A cold start and a warm page differ mostly in the first three.
 *
 * `lap(phase)` gives the time since the previous lap to that phase (the first one also holds the event's decoding,
 * since the clock starts with the request); what follows the last lap (the paging token, the answer, the log line)
 * is the rest of `durationMs`. Only durations are kept, never a value.
 */
import { performance } from 'node:perf_hooks';

export type Phase = 'secret' | 'connect' | 'catalog' | 'read' | 'write';

export class PhaseClock {
  private last = performance.now();
  private readonly spent: Partial<Record<Phase, number>> = {};

  lap(phase: Phase): void {
    const now = performance.now();
    this.spent[phase] = (this.spent[phase] ?? 0) + (now - this.last);
    this.last = now;
  }

  /**
   * Milliseconds per phase that had a lap, to a tenth, as the log line's flat fields (`secretMs`, `connectMs`, ...,
   * easy to aggregate in CloudWatch Logs Insights); a phase without a lap has no field.
   */
  fields(): Partial<Record<`${Phase}Ms`, number>> {
    const fields: Partial<Record<`${Phase}Ms`, number>> = {};
    for (const [phase, ms] of Object.entries(this.spent) as [Phase, number][]) {
      fields[`${phase}Ms`] = Math.round(ms * 10) / 10;
    }
    return fields;
  }
}
