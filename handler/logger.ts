/**
 * Structured JSON logs, one line per entry, to stdout (CloudWatch keeps each line as an event).
 * Callers pass only metadata: never a password, a secret string, a record value or a full SQL parameter list; as a
 * second guard, each line is redacted (handler/redaction.ts: the password and IAM tokens in use).
 * LOG_LEVEL selects DEBUG, INFO (default), WARN or ERROR.
 */
import { redact } from './redaction';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every entry (request type, flow name, execution id...). */
  child(fields: LogFields): Logger;
}

function parseLevel(value: string | undefined): LogLevel {
  const upper = (value ?? '').toUpperCase();
  return upper in ORDER ? (upper as LogLevel) : 'INFO';
}

export function createLogger(
  base: LogFields = {},
  level: LogLevel = parseLevel(process.env.LOG_LEVEL),
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit = (entryLevel: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[entryLevel] < ORDER[level]) return;
    // Every text passes the redaction before it is JSON-escaped: a password or IAM token registered as sensitive
    // never reaches the log, whatever a caller put in a field (a driver's message, a request's own text).
    const entry: Record<string, unknown> = { timestamp: new Date().toISOString(), level: entryLevel };
    for (const [name, value] of Object.entries({ message, ...base, ...fields })) {
      entry[name] = typeof value === 'string' ? redact(value) : value;
    }
    write(JSON.stringify(entry));
  };
  return {
    debug: (message, fields) => emit('DEBUG', message, fields),
    info: (message, fields) => emit('INFO', message, fields),
    warn: (message, fields) => emit('WARN', message, fields),
    error: (message, fields) => emit('ERROR', message, fields),
    child: (fields) => createLogger({ ...base, ...fields }, level, write),
  };
}
