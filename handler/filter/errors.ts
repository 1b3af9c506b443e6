import { InvalidArgumentError } from '../errors';
import { FilterLimits } from './constants';

/** The expression does not follow the grammar (protocol §4.2/§4.3). `position` is a 0-based UTF-16 offset. */
export class FilterSyntaxError extends InvalidArgumentError {
  readonly position: number;
  readonly detail: string;

  constructor(position: number, detail: string) {
    super(`filterExpression: syntax error at position ${position}: ${detail}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
    this.detail = detail;
  }
}

/** Cuts a piece of user input to a bounded length for an error message. */
export function truncate(text: string): string {
  if (text.length <= FilterLimits.maxEcho) return text;
  const chars = Array.from(text);
  return chars.length > FilterLimits.maxEcho ? chars.slice(0, FilterLimits.maxEcho - 1).join('') + '…' : text;
}

/** Quotes a piece of user input for an error message, cut to a bounded length. */
export function echo(text: string): string {
  return `'${truncate(text)}'`;
}
