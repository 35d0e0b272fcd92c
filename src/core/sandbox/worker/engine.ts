// A QuickJS engine: a module on its own WebAssembly.Memory (see guestMemory.ts: its `maximum` is
// the real memory cap), runtime, context, host API and evaluated prelude. Right after the prelude
// its memory is captured; after a clean run `reset` writes that image back (and zeros the rest), so
// the next run starts from the very bytes a fresh engine would have, without re-instantiating.
// Invariants: the host API reaches only the current `target`; no handle made during a run
// outlives it (the image is taken with every cached handle the wrappers make already made).

import { QuickJSFFI } from '@jitl/quickjs-wasmfile-release-sync/ffi';
import type { EmscriptenModuleLoader, EmscriptenModuleLoaderOptions, QuickJSEmscriptenModule, QuickJSSyncVariant } from '@jitl/quickjs-ffi-types';
import type { GuestConfig } from '../guestApi';
import { GuestMemory } from './guestMemory';
import { SCRIPT_FILE } from '../source';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';

// require(), not import: esbuild must pick the package's CommonJS loader (the ESM one needs
// import.meta.url, which a CommonJS bundle does not have).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') as EmscriptenModuleLoader<QuickJSEmscriptenModule>;

const baseVariant: QuickJSSyncVariant = {
  type: 'sync',
  importFFI: () => Promise.resolve(QuickJSFFI),
  importModuleLoader: () => Promise.resolve(loader),
};
const noop = (): void => {};
/** A memory grown past this is not reset (zeroing it would cost more than a new engine). */
const MAX_RESET_BYTES = 64 << 20;
/** Zeros the reset compares the memory's tail with (reading an untouched page commits nothing). */
const ZERO_CHUNK = new Uint8Array(64 * 1024);

/** What the host API calls into: the run the engine serves (see GuestRun). */
export interface EngineTarget {
  shouldInterrupt(): boolean;
  onSleep(id: number, ms: number): void;
  onCancelSleep(id: number): void;
  onLog(level: string, text: string, fullLength: number): void;
  onEvent(json: string): void;
  /** kind 0: `value` is the result's JSON text (or undefined); 1: `thrown` (a dup the target owns);
   *  2: `value` is a limit code and `message` says why. */
  onFinish(kind: number, value: string | undefined, message: string | undefined, thrown: QuickJSHandle | undefined): void;
  onQuota(): void;
  isCancelled(): boolean;
}

export class Engine {
  target?: EngineTarget;
  /** Set when a run used the engine (until `reset`). */
  used = false;
  /** The memory right after the prelude: bytes [0, image.length); all zero beyond. */
  private image?: Uint8Array;
  fns?: { settle: QuickJSHandle; start: QuickJSHandle; describe: QuickJSHandle; configure: QuickJSHandle; drain: QuickJSHandle };
  private constructor(
    readonly memoryMb: number,
    /** The engine's memory (`heap.exhausted`: malloc asked for more than the cap). */
    readonly heap: GuestMemory,
    readonly module: QuickJSWASMModule,
    readonly rt: QuickJSRuntime,
    readonly ctx: QuickJSContext,
  ) {}

  /** Instantiates the shared compiled module over a new memory and evaluates the prelude. */
  static async create(wasmModule: WebAssembly.Module, memoryMb: number, prelude: string): Promise<Engine> {
    const heap = new GuestMemory(memoryMb);
    const { memory } = heap;
    const variant = newVariant(baseVariant, {
      wasmModule,
      wasmMemory: memory,
      // The engine prints "Aborted(...)" on a WASM abort; the run's outcome reports it instead.
      emscriptenModule: { print: noop, printErr: noop } as EmscriptenModuleLoaderOptions,
    });
    const module = await newQuickJSWASMModuleFromVariant(variant);
    const rt = module.newRuntime();
    const ctx = rt.newContext();
    const engine = new Engine(memoryMb, heap, module, rt, ctx);
    rt.setInterruptHandler(() => engine.target?.shouldInterrupt() ?? false);
    engine.installHostApi();
    const r = ctx.evalCode(prelude, 'prelude.js');
    if (r.error) {
      const text = JSON.stringify(ctx.dump(r.error)).slice(0, 1000);
      r.error.dispose();
      engine.dispose();
      throw new Error(`The sandbox prelude failed: ${text}`);
    }
    r.value.dispose();
    if (!engine.fns) {
      engine.dispose();
      throw new Error('The sandbox prelude did not register its functions.');
    }
    // The wrappers cache these handles on first use: made now, they are part of the image.
    void [ctx.undefined, ctx.null, ctx.true, ctx.false, ctx.global];
    engine.capture();
    return engine;
  }

  /** Takes the memory image `reset` restores. Call only between guest calls, after the prelude. */
  private capture(): void {
    const bytes = new Uint8Array(this.heap.memory.buffer);
    // Past the heap's last written byte the memory is zeros: keep only the written part.
    const words = new Int32Array(this.heap.memory.buffer);
    let w = words.length;
    while (w > 0 && words[w - 1] === 0) w--;
    this.image = bytes.slice(0, w * 4);
  }

  /**
   * Makes a used engine fresh again for the next run: writes the image back and zeros everything
   * after it, so nothing of the run stays in memory (its heap, strings, stack: all overwritten).
   * False when the engine cannot be reset (its memory hit the cap or grew past MAX_RESET_BYTES, or
   * there is no image): then dispose it and build a new one.
   */
  reset(): boolean {
    const image = this.image;
    if (!image || this.heap.exhausted || !this.fns || this.heap.memory.buffer.byteLength > MAX_RESET_BYTES) return false;
    const bytes = new Uint8Array(this.heap.memory.buffer);
    bytes.set(image, 0);
    // Zero what the run wrote past the image: from its last non-zero chunk down (memcmp reads,
    // cheaper than writing zeros over pages the run never touched).
    let end = bytes.length;
    while (end > image.length) {
      const start = Math.max(image.length, end - ZERO_CHUNK.length);
      if (Buffer.compare(bytes.subarray(start, end), ZERO_CHUNK.subarray(0, end - start)) !== 0) break;
      end = start;
    }
    bytes.fill(0, image.length, end);
    this.target = undefined;
    this.used = false;
    return true;
  }

  private installHostApi(): void {
    const { ctx } = this;
    const api = ctx.newObject();
    const str = (h: QuickJSHandle | undefined): string | undefined => (h && ctx.typeof(h) === 'string' ? ctx.getString(h) : undefined);
    const fn = (name: string, impl: (t: EngineTarget, ...args: QuickJSHandle[]) => QuickJSHandle | undefined): void => {
      const h = ctx.newFunction(name, (...args) => {
        const t = this.target;
        return t ? impl(t, ...args) : undefined;
      });
      ctx.setProp(api, name, h);
      h.dispose();
    };
    fn('sleep', (t, id, ms) => (id && ms ? void t.onSleep(ctx.getNumber(id), ctx.getNumber(ms)) : undefined));
    fn('cancelSleep', (t, id) => (id ? void t.onCancelSleep(ctx.getNumber(id)) : undefined));
    fn('log', (t, level, text, full) => (level && text && full ? void t.onLog(ctx.getString(level), ctx.getString(text), ctx.getNumber(full)) : undefined));
    fn('event', (t, json) => (json ? void t.onEvent(ctx.getString(json)) : undefined));
    fn('finish', (t, kind, a, b) => {
      const k = kind ? ctx.getNumber(kind) : -1;
      if (k === 1) t.onFinish(1, undefined, undefined, a?.dup());
      else t.onFinish(k, str(a), str(b), undefined);
      return undefined;
    });
    fn('quota', (t) => void t.onQuota());
    fn('cancelled', (t) => (t.isCancelled() ? ctx.true : ctx.false));
    const register = ctx.newFunction('register', (settle, start, describe, configure, drain) => {
      if (this.fns || !settle || !start || !describe || !configure || !drain) return undefined;
      this.fns = { settle: settle.dup(), start: start.dup(), describe: describe.dup(), configure: configure.dup(), drain: drain.dup() };
      return undefined;
    });
    ctx.setProp(api, 'register', register);
    register.dispose();
    ctx.setProp(ctx.global, '__tw', api);
    api.dispose();
  }

  /** Configures the prelude for one run, compiles the script and starts it. `thrown`: the compile
   *  error or the error starting it threw (owned by the caller, like `script`). Throws only for a
   *  host-side fault (the engine must then be abandoned). */
  startScript(config: GuestConfig, stackKb: number, code: string, prologue?: string): { script?: QuickJSHandle; thrown?: QuickJSHandle } {
    const { rt, ctx, fns } = this;
    if (!fns) throw new Error('The engine has no prelude functions.');
    rt.setMaxStackSize(stackKb * 1024);
    const cfg = ctx.newString(JSON.stringify(config));
    const configured = ctx.callFunction(fns.configure, ctx.undefined, cfg);
    cfg.dispose();
    if (configured.error) {
      configured.error.dispose();
      throw new Error('The sandbox prelude could not be configured.');
    }
    configured.value.dispose();
    if (prologue !== undefined) {
      const ran = ctx.evalCode(prologue, 'skills.js');
      if (ran.error) return { thrown: ran.error };
      ran.value.dispose();
    }
    const compiled = ctx.evalCode(code, SCRIPT_FILE);
    if (compiled.error) return { thrown: compiled.error };
    const started = ctx.callFunction(fns.start, ctx.undefined, compiled.value);
    if (started.error) return { script: compiled.value, thrown: started.error };
    started.value.dispose();
    return { script: compiled.value };
  }

  /** Ends a run: releases the run's handles, then resets the engine for the next run (true), or,
   *  when it cannot be reset, disposes it (false; `warning` when that failed). */
  release(handles: Array<QuickJSHandle | undefined>): { reusable: boolean; warning?: string } {
    try {
      for (const h of handles) if (h?.alive) h.dispose();
    } catch (err) {
      // A handle QuickJS could not free: drop the engine (dispose reports the leak, if any).
      return { reusable: false, warning: this.dispose() ?? (this.heap.exhausted ? undefined : `QuickJS could not free a handle: ${String(err)}`) };
    }
    if (this.reset()) return { reusable: true };
    return { reusable: false, warning: this.dispose() };
  }

  /** Releases every handle, the context and the runtime; returns a warning when that failed
   *  (a handle leak aborts QuickJS's dispose; the module is dropped either way). */
  dispose(extra: Array<QuickJSHandle | undefined> = []): string | undefined {
    this.target = undefined;
    try {
      const fns = this.fns ? Object.values(this.fns) : [];
      this.fns = undefined;
      for (const h of [...extra, ...fns]) if (h?.alive) h.dispose();
      this.ctx.dispose();
      this.rt.dispose();
      return undefined;
    } catch (err) {
      // After malloc hit the cap, QuickJS's own out-of-memory paths can leave objects behind (seen
      // in JSON.stringify of a huge value): expected, and harmless as the module is dropped.
      if (this.heap.exhausted) return undefined;
      return `QuickJS dispose failed (a handle leak in ToolWeaver): ${String(err)}`;
    }
  }
}
