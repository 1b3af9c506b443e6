/**
 * Named connection profiles, so that a user does not export DB_* for every run: `npm start -- --profile shop
 * --entity orders`. The file is JSON, by default ~/.config/appflow-connector/runner-profiles.json (XDG_CONFIG_HOME
 * is honoured; --profiles FILE or APPFLOW_RUNNER_PROFILES names another):
 *
 *   { "profiles": { "shop": { "engine": "mysql", "host": "127.0.0.1", "port": 3306, "database": "shop",
 *                              "user": "reader", "tlsMode": "REQUIRED" } } }
 *
 * A profile fills in what neither a flag nor a variable gives (flags > environment > profile). It holds a password
 * only if the user asks (`--save-profile NAME --save-password`); the file is then written readable by its owner
 * only, and a password in a file others can read is warned about at every use.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './errors';
import { closestName } from './suggest';

/** Profile keys and the flags they stand for. */
export const PROFILE_KEYS = {
  engine: 'engine',
  host: 'host',
  port: 'port',
  database: 'database',
  schema: 'schema',
  user: 'user',
  password: 'password',
  tlsMode: 'tls-mode',
  function: 'function',
  secretArn: 'secret-arn',
  region: 'region',
} as const;

export type ProfileKey = keyof typeof PROFILE_KEYS;
export type ProfileFlag = (typeof PROFILE_KEYS)[ProfileKey];
/** A profile's values by flag name. */
export type ProfileValues = Partial<Record<ProfileFlag, string>>;

export const PROFILES_VARIABLE = 'APPFLOW_RUNNER_PROFILES';

export function defaultProfilesPath(env: NodeJS.ProcessEnv): string {
  if (env[PROFILES_VARIABLE]) return env[PROFILES_VARIABLE];
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'appflow-connector', 'runner-profiles.json');
}

interface ProfileFile {
  profiles: Record<string, Record<string, unknown>>;
}

function readProfileFile(path: string): ProfileFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UsageError(`the profiles file ${path} does not exist (make one with --save-profile)`);
    throw new UsageError(`cannot read the profiles file ${path} (${code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the profiles file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new UsageError(`the profiles file ${path} must hold {"profiles": {"NAME": {...}}}`);
  }
  return { profiles: profiles as ProfileFile['profiles'] };
}

export interface LoadedProfile {
  readonly values: ProfileValues;
  /** Warnings to show (a password in a file others can read). */
  readonly notes: readonly string[];
}

/** Reads profile `name` from `path`; every problem is a UsageError naming the file and the key. */
export function loadProfile(path: string, name: string): LoadedProfile {
  const file = readProfileFile(path);
  const profile = Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
    const names = Object.keys(file.profiles);
    const close = closestName(name, names);
    throw new UsageError(
      `--profile ${name}: ${path} has no such profile${close ? ` (did you mean ${close}?)` : ''} (profiles: ${names.join(', ') || 'none'})`,
    );
  }
  const values: ProfileValues = {};
  for (const [key, value] of Object.entries(profile)) {
    if (!Object.hasOwn(PROFILE_KEYS, key)) {
      const close = closestName(key, Object.keys(PROFILE_KEYS));
      throw new UsageError(
        `profile ${name} in ${path}: unknown key ${JSON.stringify(key)}${close ? ` (did you mean ${close}?)` : ''}; keys: ${Object.keys(PROFILE_KEYS).join(', ')}`,
      );
    }
    if (typeof value !== 'string' && !(key === 'port' && typeof value === 'number')) {
      throw new UsageError(
        `profile ${name} in ${path}: ${key} must be a string${key === 'port' ? ' or a number' : ''}`,
      );
    }
    values[PROFILE_KEYS[key as ProfileKey]] = String(value);
  }
  const notes: string[] = [];
  if (values.password !== undefined) {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      notes.push(
        `${path} holds a password and other users may read it (mode ${mode.toString(8)}): chmod 600 ${path}, or remove the password and use DB_PASSWORD`,
      );
    }
  }
  return { values, notes };
}

/**
 * Adds or replaces profile `name` in `path` (created with its directory if missing), written readable by its owner
 * only. Keys of other profiles are kept as they are.
 */
export function saveProfile(path: string, name: string, values: ProfileValues): void {
  const file: ProfileFile = existsSync(path) ? readProfileFile(path) : { profiles: {} };
  const profile: Record<string, string | number> = {};
  for (const [key, flag] of Object.entries(PROFILE_KEYS) as [ProfileKey, ProfileFlag][]) {
    const value = values[flag];
    if (value === undefined) continue;
    profile[key] = key === 'port' && /^\d+$/.test(value) ? Number(value) : value;
  }
  file.profiles[name] = profile;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed: make it private in every case.
  chmodSync(path, 0o600);
}
