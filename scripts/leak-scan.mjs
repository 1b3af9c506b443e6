// Finds registered secrets (secrets-*.jsonl) in the other files of a suite-output directory.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function findLeaks(dir) {
  const files = readdirSync(dir);
  const secrets = new Set();
  for (const file of files.filter((name) => name.startsWith('secrets-'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim()) secrets.add(JSON.parse(line));
    }
  }
  const list = [...secrets];
  const leaks = [];
  let bytes = 0;
  for (const file of files.filter((name) => !name.startsWith('secrets-'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    bytes += text.length;
    list.forEach((secret, index) => {
      // A secret may appear as written, or JSON-escaped inside a logged or answered JSON document.
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (text.includes(secret) || text.includes(escaped)) leaks.push({ secret: index, file });
    });
  }
  return { secrets: list.length, bytes, leaks };
}
