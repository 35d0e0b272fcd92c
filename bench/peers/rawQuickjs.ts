// The peer baseline of `npm run bench:peers`: a minimal quickjs-emscripten engine of the kind other code-mode
// runners ship (sync build, one module per engine, a fresh runtime + context per run, tools as promise-returning
// host functions with JSON text crossing). No memory cap, no quotas, no trace: the floor a bare engine gives.

import { QuickJSFFI } from '@jitl/quickjs-wasmfile-release-sync/ffi';
import type { EmscriptenModuleLoader, QuickJSEmscriptenModule, QuickJSSyncVariant } from '@jitl/quickjs-ffi-types';
import { newQuickJSWASMModuleFromVariant, newVariant, shouldInterruptAfterDeadline, type QuickJSWASMModule } from 'quickjs-emscripten-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') as EmscriptenModuleLoader<QuickJSEmscriptenModule>;

/** Makes one tool call: the tool's name and its arguments as JSON text; resolves with the result's JSON text. */
export type RawCallTool = (name: string, argsJson: string) => Promise<string>;

/** A started engine: `run` evaluates `source` as the body of an async function and resolves with the value's JSON. */
export interface RawEngine {
  run(source: string, timeoutMs?: number): Promise<string>;
}

const GUEST_SETUP = `globalThis.tools = new Proxy({}, { get: (_, name) => (args) => __call(String(name), JSON.stringify(args ?? {})).then(JSON.parse) });`;

/** Instantiates the module once over the compiled wasm; every run gets its own runtime and context. */
export async function createRawEngine(wasmModule: WebAssembly.Module, callTool: RawCallTool): Promise<RawEngine> {
  const base: QuickJSSyncVariant = { type: 'sync', importFFI: () => Promise.resolve(QuickJSFFI), importModuleLoader: () => Promise.resolve(loader) };
  const module: QuickJSWASMModule = await newQuickJSWASMModuleFromVariant(newVariant(base, { wasmModule }));
  return { run: (source, timeoutMs = 60_000) => runOnce(module, callTool, source, timeoutMs) };
}

function runOnce(module: QuickJSWASMModule, callTool: RawCallTool, source: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const rt = module.newRuntime();
    rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + timeoutMs));
    const ctx = rt.newContext();
    let settled = false;
    let pending = 0;
    const finish = (err: Error | undefined, value?: string): void => {
      if (settled) return;
      settled = true;
      // After the job loop that called __done has returned (disposing inside it aborts QuickJS). Outstanding
      // calls still hold deferreds: a bare engine then drops the context instead of freeing it.
      queueMicrotask(() => {
        if (pending === 0) {
          ctx.dispose();
          rt.dispose();
        }
      });
      if (err) reject(err);
      else resolve(value ?? 'null');
    };
    const call = ctx.newFunction('__call', (nameH, argsH) => {
      const d = ctx.newPromise();
      pending++;
      const name = ctx.getString(nameH);
      const args = ctx.getString(argsH);
      void callTool(name, args).then(
        (text) => {
          pending--;
          if (!ctx.alive) return;
          const s = ctx.newString(text);
          d.resolve(s);
          s.dispose();
          d.dispose();
          const r = rt.executePendingJobs();
          if (r.error) {
            r.error.dispose();
          }
        },
        (err: unknown) => {
          pending--;
          if (!ctx.alive) return;
          const e = ctx.newError(String(err));
          d.reject(e);
          e.dispose();
          d.dispose();
          rt.executePendingJobs();
        },
      );
      return d.handle;
    });
    ctx.setProp(ctx.global, '__call', call);
    call.dispose();
    const done = ctx.newFunction('__done', (v) => void finish(undefined, ctx.getString(v)));
    ctx.setProp(ctx.global, '__done', done);
    done.dispose();
    const fail = ctx.newFunction('__fail', (v) => void finish(new Error(ctx.getString(v))));
    ctx.setProp(ctx.global, '__fail', fail);
    fail.dispose();
    const r = ctx.evalCode(
      `${GUEST_SETUP}\n(async () => {${source}\n})().then((v) => __done(JSON.stringify(v === undefined ? null : v)), (e) => __fail(String((e && e.stack) || e)));`,
    );
    if (r.error) {
      const text = JSON.stringify(ctx.dump(r.error));
      r.error.dispose();
      finish(new Error(text));
      return;
    }
    r.value.dispose();
    const jobs = rt.executePendingJobs();
    if (jobs.error) {
      const text = JSON.stringify(ctx.dump(jobs.error));
      jobs.error.dispose();
      finish(new Error(text));
    }
  });
}
