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

/** A module with its fixed memory; `heap.exhausted` turns true when malloc wanted more. */
export interface Engine {
  module: QuickJSWASMModule;
  heap: { exhausted: boolean };
}

/** Instantiates the shared compiled module over a new fixed-size memory. */
async function newModule(memoryMb: number): Promise<Engine> {
  const pages = memoryMb * 16;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const heap = { exhausted: false };
  // Emscripten's sbrk grows the memory through this method (inside a try): refusing here is the
  // exact "heap exhausted" signal (QuickJS's own malloc accounting is not usable in this build).
  Object.defineProperty(memory, 'grow', {
    value: () => {
      heap.exhausted = true;
      throw new RangeError('The sandbox memory has a fixed size.');
    },
  });
  const variant = newVariant(baseVariant, {
    wasmModule: init.wasmModule,
    wasmMemory: memory,
    // The engine prints "Aborted(...)" on a WASM abort; the run's outcome reports it instead.
    emscriptenModule: { print: noop, printErr: noop } as EmscriptenModuleLoaderOptions,
  });
  return { module: await newQuickJSWASMModuleFromVariant(variant), heap };
}

let spare: { memoryMb: number; module: Promise<Engine> } | undefined;
let current: GuestRun | undefined;

function prepareSpare(memoryMb: number): void {
  const module = newModule(memoryMb);
  module.catch(noop);
  spare = { memoryMb, module };
}

async function takeModule(memoryMb: number): Promise<Engine> {
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
  let engine: Engine;
  try {
    engine = await takeModule(req.limits.memoryMb);
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
  const run = new GuestRun(req, { module: engine.module, heap: engine.heap, prelude, control, post }, (r) => {
    current = undefined;
    // A module that ran nothing can serve the next run; a used one is dropped (fresh engine per run).
    if (r.moduleUnused && !spare) spare = { memoryMb: req.limits.memoryMb, module: Promise.resolve(engine) };
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
  void (spare as { module: Promise<Engine> } | undefined)?.module.then(
    () => post({ type: 'ready' }),
    (err: unknown) => post({ type: 'fatal', message: `The sandbox engine could not be instantiated: ${String(err)}` }),
  );
}

main();
