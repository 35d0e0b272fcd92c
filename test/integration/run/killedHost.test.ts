import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { createTraceStore } from '../../../src/core/trace/store';

const root = path.resolve(__dirname, '../../..');
let tmp: string;
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('a host killed mid-run', () => {
  it('leaves a running trace that the next store open finalises as interrupted', async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'tw-killed-'));
    const traceDir = path.join(tmp, 'traces');
    const child = path.join(tmp, 'child.js');
    await build({ entryPoints: [path.join(root, 'test/fixtures/traceChild.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, logLevel: 'silent' });
    const proc = spawn(process.execPath, [child, traceDir], {
      cwd: root,
      env: { ...process.env, TOOLWEAVER_SANDBOX_WORKER: path.join(root, 'dist/sandboxWorker.js') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child never started: ${stderr}`)), 15_000);
        proc.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('started')) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
    } finally {
      proc.kill('SIGKILL');
    }
    await new Promise((r) => proc.once('exit', r));

    const files = readdirSync(traceDir).filter((n) => n.endsWith('.json') && n !== 'index.json');
    expect(files).toHaveLength(1);
    const id = files[0]!.slice(0, -5);

    const store = createTraceStore({ dir: traceDir });
    expect(await store.recover()).toEqual([id]);
    const t = await store.read(id);
    expect(t.status).toBe('interrupted');
    expect(t.host?.pid).toBe(proc.pid);
    expect(t.error?.message).toContain(`pid ${proc.pid}`);
    // the checkpoint captured the finished first call and the hanging second one
    expect(t.spans.map((s) => [s.kind === 'tool' ? s.tool : s.kind, s.status])).toEqual([
      ['get_user', 'ok'],
      ['hang', 'interrupted'],
    ]);
    expect(readdirSync(traceDir).filter((n) => n.endsWith('.json') && n !== 'index.json')).toHaveLength(1);
  });
});
