// The environment for an npm (or npm-run) process we spawn ourselves. Under `npm test` npm exports
// npm_config_* (the user agent names the outer Node), npm_lifecycle_* and npm_package_* to every
// child; an inner `npm i` inherits them and, e.g., code-server's postinstall then sees Node 20
// though Node 24 is first on PATH. Invariant: nothing npm-injected survives; only what the caller
// sets on purpose (its overrides) is added back.

/** Variables npm injects into scripts it runs, besides the prefixed families below. */
const NPM_INJECTED = new Set(['npm_execpath', 'npm_node_execpath', 'npm_command', 'INIT_CWD', 'NODE', 'COLOR']);
const NPM_PREFIXES = ['npm_config_', 'npm_lifecycle_', 'npm_package_'];

/**
 * @param {NodeJS.ProcessEnv} parent the environment we were started with (usually process.env)
 * @param {Record<string, string | undefined>} [overrides] variables set on purpose (kept even when npm-prefixed)
 * @returns {Record<string, string>}
 */
export function cleanChildEnv(parent, overrides = {}) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (NPM_INJECTED.has(name) || NPM_PREFIXES.some((p) => lower.startsWith(p))) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
