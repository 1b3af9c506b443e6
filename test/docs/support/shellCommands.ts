/**
 * The shell commands a Markdown document shows: every line of a fenced `sh`/`bash`/`shell` block, with continuation
 * lines joined and trailing comments removed, and the `export`ed variables in force at that line. Also a small
 * POSIX-style word splitter (quotes and backslashes), enough for the commands the documentation shows.
 */

export interface ShownCommand {
  readonly file: string;
  /** The command as shown, on one line, without its trailing comment. */
  readonly text: string;
  /** Variables exported earlier in the same block. */
  readonly exported: Readonly<Record<string, string>>;
}

/** Splits a command line into words: '…' keeps everything, "…" and \x keep the next character. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (char === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        word += line[i];
        i++;
      }
      if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The line without a trailing `# comment` (a # that starts a word, outside quotes). */
export function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '\\') i++;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

const SHELL_FENCE = /^```(sh|bash|shell|console)\s*$/;

export function shownCommands(file: string, markdown: string): ShownCommand[] {
  const commands: ShownCommand[] = [];
  let inBlock = false;
  let exported: Record<string, string> = {};
  let pending = '';
  for (const raw of markdown.split('\n')) {
    if (!inBlock) {
      if (SHELL_FENCE.test(raw.trim())) {
        inBlock = true;
        exported = {};
      }
      continue;
    }
    if (raw.trim().startsWith('```')) {
      inBlock = false;
      continue;
    }
    const line = withoutComment(raw);
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const text = `${pending}${line.trim()}`.trim();
    pending = '';
    if (text === '') continue;
    if (text.startsWith('export ')) {
      for (const word of shellWords(text.slice('export '.length))) {
        const equals = word.indexOf('=');
        if (equals > 0) exported[word.slice(0, equals)] = word.slice(equals + 1);
      }
    }
    commands.push({ file, text, exported: { ...exported } });
  }
  return commands;
}

/**
 * `npm start -- a b` → { env, args: [a, b] } for each `npm start` step of a command (steps joined by &&), with the
 * variables set before it (`A=b npm start`) and exported earlier; null for steps that are not `npm start`.
 */
export function npmScriptInvocations(
  command: ShownCommand,
  script: 'start' | 'run bench',
): { env: Record<string, string>; args: string[] }[] {
  const found: { env: Record<string, string>; args: string[] }[] = [];
  for (const step of command.text.split('&&')) {
    const words = shellWords(step.trim());
    const env: Record<string, string> = { ...command.exported };
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
      const word = words.shift()!;
      env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
    }
    const prefix = script === 'start' ? ['npm', 'start'] : ['npm', 'run', 'bench'];
    if (prefix.some((word, index) => words[index] !== word)) continue;
    const rest = words.slice(prefix.length);
    if (rest.length > 0 && rest[0] !== '--') throw new Error(`npm ${script} arguments must follow --: ${command.text}`);
    found.push({ env, args: rest.slice(1) });
  }
  return found;
}
