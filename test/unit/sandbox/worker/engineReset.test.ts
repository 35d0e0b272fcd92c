// An engine reset between runs (issue 15): the memory after `reset` is byte for byte the image of
// a freshly prepared engine, so nothing a run wrote (strings, globals, heap) is readable by the
// next one, and the reset engine runs scripts like a new one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/core/sandbox/worker/engine';

const dist = path.resolve(__dirname, '../../../../dist');
const MARKER = 'TW-RESET-MARKER-7f3a9c';
let wasm: WebAssembly.Module;
let prelude: string;
const engines: Engine[] = [];

beforeAll(async () => {
  wasm = await WebAssembly.compile(readFileSync(path.join(dist, 'quickjs.wasm')));
  prelude = readFileSync(path.join(dist, 'sandboxPrelude.js'), 'utf8');
});
afterAll(() => {
  for (const e of engines) e.dispose();
});

/** Evaluates `code` in the engine's context and returns its value (dumped). */
function evaluate(e: Engine, code: string): unknown {
  const r = e.ctx.evalCode(code);
  if (r.error) {
    const err = e.ctx.dump(r.error) as unknown;
    r.error.dispose();
    throw new Error(`guest error: ${JSON.stringify(err)}`);
  }
  const v = e.ctx.dump(r.value) as unknown;
  r.value.dispose();
  return v;
}

function countMarker(mem: Uint8Array): number {
  return Buffer.from(mem.buffer, mem.byteOffset, mem.byteLength).toString('latin1').split(MARKER).length - 1;
}

describe('Engine.reset', () => {
  it('leaves exactly the image of the ready engine in memory: nothing of the run survives', async () => {
    const e = await Engine.create(wasm, 32, prelude);
    engines.push(e);
    // What the engine held when it was ready, before any run.
    const freshBytes = new Uint8Array(e.heap.memory.buffer).slice();
    // A run that writes the marker all over its heap (and grows the memory past its first size).
    evaluate(e, `globalThis.kept = []; for (let i = 0; i < 3000; i++) kept.push('${MARKER}' + i + 'x'.repeat(5000)); kept.length`);
    expect(e.heap.memory.buffer.byteLength).toBeGreaterThan(freshBytes.length);
    expect(countMarker(new Uint8Array(e.heap.memory.buffer))).toBeGreaterThan(1000);
    const released = e.release([]);
    expect(released).toEqual({ reusable: true });
    const after = new Uint8Array(e.heap.memory.buffer);
    expect(countMarker(after)).toBe(0);
    // Byte for byte the fresh image, and zeros in the part the run grew.
    expect(Buffer.compare(Buffer.from(after.subarray(0, freshBytes.length)), Buffer.from(freshBytes))).toBe(0);
    expect(after.subarray(freshBytes.length).every((b) => b === 0)).toBe(true);
    // The run's globals are gone and the engine works like a new one.
    expect(evaluate(e, 'typeof globalThis.kept')).toBe('undefined');
    expect(evaluate(e, '[1, 2, 3].map((x) => x * 2).join(",")')).toBe('2,4,6');
    expect(e.used).toBe(false);
  });

  it('an engine whose memory grew past 64 MiB is disposed, not reset (zeroing would cost more)', async () => {
    const e = await Engine.create(wasm, 128, prelude);
    engines.push(e);
    e.heap.memory.grow((80 << 20) / 65536);
    expect(e.release([]).reusable).toBe(false);
    engines.pop();
  });

  it('an engine whose memory hit the cap is not reset', async () => {
    const e = await Engine.create(wasm, 16, prelude);
    engines.push(e);
    e.heap.exhausted = true;
    const released = e.release([]);
    expect(released.reusable).toBe(false);
    engines.pop();
  });
});
