// Entry of a sandbox worker thread (bundled to dist/sandboxWorker.js). Runs one script at a time,
// each on a fresh QuickJS module with a fixed-size WebAssembly.Memory (the real memory cap), and
// keeps the next module instantiated while idle so a run does not pay for it.

import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { QuickJSFFI } from '@jitl/quickjs-wasmfile-release-sync/ffi';
import type { EmscriptenModuleLoader, EmscriptenModuleLoaderOptions, QuickJSEmscriptenModule, QuickJSSyncVariant } from '@jitl/quickjs-ffi-types';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { GuestRun } from './guestRun';
import type { HostToWorker, RunRequest, WorkerInit, WorkerToHost } from './protocol';

// require(), not import: esbuild must pick the package's CommonJS loader (the ESM one needs
// import.meta.url, which a CommonJS bundle does not have).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') as EmscriptenModuleLoader<QuickJSEmscriptenModule>;

const baseVariant: QuickJSSyncVariant = {
  type: 'sync',
  importFFI: () => Promise.resolve(QuickJSFFI),
  importModuleLoader: () => Promise.resolve(loader),
};

const init = workerData as WorkerInit;
const control = new Int32Array(init.control);
const port = parentPort;
const noop = (): void => {};

function post(msg: WorkerToHost): void {
  port?.postMessage(msg);
}

/** Instantiates the shared compiled module over a new fixed-size memory. */
function newModule(memoryMb: number): Promise<QuickJSWASMModule> {
  const pages = memoryMb * 16;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const variant = newVariant(baseVariant, {
    wasmModule: init.wasmModule,
    wasmMemory: memory,
    // The engine prints "Aborted(...)" on a WASM abort; the run's outcome reports it instead.
    emscriptenModule: { print: noop, printErr: noop } as EmscriptenModuleLoaderOptions,
  });
  return newQuickJSWASMModuleFromVariant(variant);
}

let spare: { memoryMb: number; module: Promise<QuickJSWASMModule> } | undefined;
let current: GuestRun | undefined;

function prepareSpare(memoryMb: number): void {
  const module = newModule(memoryMb);
  module.catch(noop);
  spare = { memoryMb, module };
}

async function takeModule(memoryMb: number): Promise<QuickJSWASMModule> {
  const s = spare;
  spare = undefined;
  if (s && s.memoryMb === memoryMb) {
    try {
      return await s.module;
    } catch {
      // fall through to a fresh one
    }
  }
  return newModule(memoryMb);
}

async function startRun(req: RunRequest, prelude: string): Promise<void> {
  let module: QuickJSWASMModule;
  try {
    module = await takeModule(req.limits.memoryMb);
  } catch (err) {
    post({
      type: 'done',
      runId: req.runId,
      outcome: { ok: false, error: { name: 'SandboxError', code: 'sandbox_crashed', message: `The sandbox could not start its engine: ${String(err)}` } },
      calls: [],
      logs: [],
      events: [],
      logBytesDropped: 0,
      warnings: [],
    });
    return;
  }
  const run = new GuestRun(req, { module, prelude, control, post }, (r) => {
    current = undefined;
    // A module that ran nothing can serve the next run; a used one is dropped (fresh engine per run).
    if (r.moduleUnused && !spare) spare = { memoryMb: req.limits.memoryMb, module: Promise.resolve(module) };
    setImmediate(() => {
      if (!spare && !current) prepareSpare(init.spareMemoryMb);
    });
  });
  current = run;
  run.start();
}

function main(): void {
  let prelude: string;
  try {
    prelude = readFileSync(init.preludePath, 'utf8');
  } catch (err) {
    post({ type: 'fatal', message: `The sandbox prelude ${init.preludePath} could not be read: ${String(err)}. Run the build (node esbuild.mjs).` });
    return;
  }
  prepareSpare(init.spareMemoryMb);
  port?.on('message', (msg: HostToWorker) => {
    // The host sends one run at a time; results and cancels name their run.
    if (msg.type === 'run') void startRun(msg, prelude);
    else if (msg.type === 'results') {
      if (current?.runId === msg.runId) current.results(msg.batch, msg.count);
    } else if (msg.type === 'cancel') {
      if (current?.runId === msg.runId) current.stop('cancelled');
    }
  });
  void (spare as { module: Promise<QuickJSWASMModule> } | undefined)?.module.then(
    () => post({ type: 'ready' }),
    (err: unknown) => post({ type: 'fatal', message: `The sandbox engine could not be instantiated: ${String(err)}` }),
  );
}

main();
