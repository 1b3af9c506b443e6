/**
 * Generator features switched off by default because they find a defect another issue is fixing. Each entry names
 * the feature (see `caseFeatures` in fuzz/schema/case.ts), the engines it concerns and the issue item; the
 * reproduction is in the fuzz findings notes. Once the fix is merged, delete the entry: the default run then
 * generates the feature again. `npm run fuzz -- --include-known-defects` (all) or `--include-known-defects=a,b`
 * generates switched-off features anyway, to check a fix.
 */
import type { Engine } from './types';

export interface KnownDefect {
  readonly feature: string;
  readonly engines: readonly Engine[];
  /** The issue (and item) whose fix turns the feature back on. */
  readonly issue: string;
  readonly defect: string;
}

export const KNOWN_DEFECTS: readonly KnownDefect[] = [];

/**
 * The features to leave out for this engine: the known defects, minus those `include` names (`'all'`: none left
 * out).
 */
export function activeKnownDefects(engine: Engine, include: readonly string[] | 'all' | undefined): Set<string> {
  if (include === 'all') return new Set();
  return new Set(
    KNOWN_DEFECTS.filter((entry) => entry.engines.includes(engine) && !(include ?? []).includes(entry.feature)).map(
      (entry) => entry.feature,
    ),
  );
}
