// The env files an mcp.json server entry names (`envFile`): a minimal dotenv reader. Invariant: an
// unreadable file is a ConfigError naming it and the field; a line it does not understand is skipped.
import { readFile } from 'node:fs/promises';
import { ConfigError, describeCause } from '../errors';

/**
 * Reads an mcp.json `envFile`. Throws ConfigError `env_file_unreadable` naming the env file, the
 * field and the config file it was named in (`configFile`; settings when absent).
 */
export async function readEnvFile(file: string, at: { field: string; configFile?: string }): Promise<Record<string, string>> {
  const { field } = at;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('env_file_unreadable', `The envFile ${file} (field "${field}" in ${at.configFile || 'the server settings'}) cannot be read: ${describeCause(err)}.`, {
      file: at.configFile,
      field,
      cause: err,
    });
  }
  return parseDotenv(text);
}

/** Minimal dotenv: `KEY=VALUE`, optional `export `, quotes, `#` comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? '';
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1] as string] = value;
  }
  return out;
}
