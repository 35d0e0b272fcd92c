// ServerConnection details not visible through loadCatalog: stderr draining and its cap.
import { describe, expect, it } from 'vitest';
import { ServerConnection } from '../../../src/core/catalog/connection';
import { DEFAULT_STDERR_BYTES } from '../../../src/core/catalog/processTransport';
import { isAlive, NODE, RAW_SERVER } from './helpers';

describe('ServerConnection', () => {
  it('drains a noisy stderr into a capped buffer without blocking the server', async () => {
    const conn = new ServerConnection('noisy', { kind: 'config', config: { type: 'stdio', command: NODE, args: [RAW_SERVER, 'noisy'], env: {} } });
    try {
      await conn.open();
      expect((await conn.listTools()).map((t) => t.name)).toContain('echo');
      await new Promise((r) => setTimeout(r, 50));
      expect(Buffer.byteLength(conn.stderr)).toBeLessThanOrEqual(DEFAULT_STDERR_BYTES);
      expect(Buffer.byteLength(conn.stderr)).toBeGreaterThan(DEFAULT_STDERR_BYTES - 100);
      expect(conn.stderr.trimEnd().endsWith('last stderr line')).toBe(true);
    } finally {
      const pid = conn.pid;
      await conn.close();
      expect(pid !== undefined && isAlive(pid)).toBe(false);
    }
  });
});
