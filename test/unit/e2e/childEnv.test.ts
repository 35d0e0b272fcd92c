// The e2e setup's npm children get a clean environment: what `npm test` injects (the user agent that
// names Node 20, lifecycle and package variables) never reaches them; what we set on purpose does.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without declarations
import { cleanChildEnv } from '../../../scripts/lib/childEnv.mjs';

/** What `npm test` under Node 20 exports to its children (captured from a real run, shortened). */
const POLLUTED: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/root',
  npm_config_user_agent: 'npm/10.8.2 node/v20.20.2 linux x64 workspaces/false',
  npm_config_nodedir: '/usr/include/node',
  npm_config_cache: '/root/.npm',
  NPM_CONFIG_PREFIX: '/usr/local',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_name: 'toolweaver',
  npm_package_version: '0.2.0',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_command: 'test',
  INIT_CWD: '/work/main',
  NODE: '/usr/bin/node',
  COLOR: '1',
  TOOLWEAVER_E2E_CACHE: '/tmp/cache',
};

describe('cleanChildEnv', () => {
  it('drops every npm-injected variable and keeps the rest', () => {
    const env = cleanChildEnv(POLLUTED);
    expect(Object.keys(env).sort()).toEqual(['HOME', 'PATH', 'TOOLWEAVER_E2E_CACHE']);
  });

  it('keeps what the caller sets on purpose, even npm_config_nodedir', () => {
    const env = cleanChildEnv(POLLUTED, { npm_config_nodedir: '/cache/node24', PATH: '/cache/node24/bin:/usr/bin', JOBS: 'max' });
    expect(env.npm_config_nodedir).toBe('/cache/node24');
    expect(env.PATH).toBe('/cache/node24/bin:/usr/bin');
    expect(env.JOBS).toBe('max');
    expect(env.npm_config_user_agent).toBeUndefined();
  });

  it('is what a spawned child really sees', () => {
    const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
      env: cleanChildEnv({ ...process.env, ...POLLUTED, PATH: process.env.PATH }, { npm_config_nodedir: '/x' }),
      encoding: 'utf8',
    });
    const seen = JSON.parse(out) as Record<string, string>;
    expect(Object.keys(seen).filter((k) => /^npm_/i.test(k))).toEqual(['npm_config_nodedir']);
    expect(seen.INIT_CWD).toBeUndefined();
    expect(seen.TOOLWEAVER_E2E_CACHE).toBe('/tmp/cache');
  });
});
