/**
 * Deliberately broken connector bundles, written as tiny CommonJS files that wrap the real bundle: one answers
 * QueryData with records as objects and without isSuccess, one throws on QueryData (a function error).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_PATH } from './cli';

function wrapper(queryDataBody: string): string {
  return `'use strict';
const real = require(${JSON.stringify(BUNDLE_PATH)});
exports.handler = async (event, context) => {
  if (event.type !== 'QueryDataRequest') return real.handler(event, context);
${queryDataBody}
};
exports.shutdown = () => real.shutdown();
`;
}

/** QueryData answers `records` as objects instead of JSON strings, and leaves out `isSuccess`. */
export function writeMalformedBundle(dir: string): string {
  const path = join(dir, 'malformed-bundle.js');
  writeFileSync(
    path,
    wrapper(`  const answer = await real.handler(event, context);
  const { isSuccess, ...rest } = answer;
  return { ...rest, records: (answer.records || []).map((record) => JSON.parse(record)) };`),
  );
  return path;
}

/** QueryData throws, as a bug would. */
export function writeThrowingBundle(dir: string): string {
  const path = join(dir, 'throwing-bundle.js');
  writeFileSync(path, wrapper(`  throw new TypeError("Cannot read properties of undefined (reading 'rows')");`));
  return path;
}
