/** "Did you mean": the closest known name to a mistyped one, shared by the runner's and the benchmark's flags. */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest candidate to `name` (a prefix of three or more characters counts as exact), or null if none is close. */
export function closestName(name: string, candidates: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(name) && name.length >= 3 ? 0 : editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : null;
}

/** The closest known flag to a mistyped `--flag` (or `--flag=value`), as `--name`, or null. */
export function closestFlag(flag: string, names: readonly string[]): string | null {
  const name = flag.replace(/^-+/, '').split('=')[0]!;
  const found = closestName(name, names);
  return found === null ? null : `--${found}`;
}
