// Reply-cap benchmark: a 12 MB, 60 MB and 200 MB tool reply from the fault fixture over Streamable
// HTTP and over stdio, with the host's peak RSS (sampled every 10 ms) and time to the ToolError.
// Without a cap on HTTP, 60 MB ended as sandbox_crashed at 745 MB and 200 MB took 1.75–2.3 GB.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import { ToolError } from '../src/core/errors';

const MB = 1_000_000;

async function startHttp(js: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [js, '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening on (\S+)/.exec(text);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`fault server exited: ${text}`)));
  });
  return { url, stop: () => child.kill('SIGKILL') };
}

/** Prints, per transport and size: outcome, ms, and the host's RSS before and at its peak. */
export async function run(): Promise<void> {
  const js = path.join(process.cwd(), 'dist/test-fixtures/faultServer.js');
  const http = await startHttp(js);
  const loaded = await loadCatalog({
    cwd: mkdtempSync(path.join(os.tmpdir(), 'tw-bench-replies-')),
    servers: { web: { type: 'http', url: http.url }, local: { command: process.execPath, args: [js] } },
  });
  console.log('\nReply cap (10 MiB default): host RSS while a tool sends an oversize reply');
  console.log('transport  reply    outcome            ms      rss before  rss peak');
  try {
    for (const server of ['web', 'local']) {
      for (const bytes of [12 * MB, 60 * MB, 200 * MB]) {
        global.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
        const t0 = performance.now();
        const outcome = await loaded.invoker
          .callTool({ server, tool: 'oversize', args: { bytes } }, { signal: new AbortController().signal, timeoutMs: 120_000 })
          .then(
            () => 'ok (not capped!)',
            (e: unknown) => (ToolError.is(e) ? e.code : String(e)),
          );
        const ms = performance.now() - t0;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`;
        console.log(`${(server === 'web' ? 'http' : 'stdio').padEnd(10)} ${`${bytes / MB} MB`.padEnd(8)} ${outcome.padEnd(18)} ${ms.toFixed(0).padStart(6)}  ${mb(before).padStart(10)}  ${mb(peak).padStart(8)}`);
      }
    }
  } finally {
    await loaded.close();
    http.stop();
  }
}
