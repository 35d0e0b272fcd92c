// Entry of a sandbox worker thread (bundled to dist/sandboxWorker.js). Runs one script at a time,
// each on a fresh Engine (memory capped at the run's memoryMb): a new one, or the last one reset to
// the image it had when new (Engine.reset) after a clean run; a new one is prepared while idle.

import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from './engine';
import { GuestRun } from './guestRun';
import type { DoneMessage, GuestOutcome, HostToWorker, RunRequest, WorkerInit, WorkerToHost } from '../protocol';
import { prepareSource } from '../source';
import { runError } from '../runErrors';
import { ResultReceiver } from '../resultChannel';
import { CallSender } from '../callChannel';

const init = workerData as WorkerInit;
const control = new Int32Array(init.control);
const results = new ResultReceiver(init.results);
const calls = new CallSender(init.calls);

function post(msg: WorkerToHost): void {
  if (!parentPort) return;
  // Counted, so the host takes slot calls in order with the messages (see callChannel.ts).
  calls.posted();
  parentPort.postMessage(msg);
}

let prelude = '';
let spare: { memoryMb: number; engine: Promise<Engine> } | undefined;
let current: GuestRun | undefined;

function prepareSpare(memoryMb: number): void {
  const engine = Engine.create(init.wasmModule, memoryMb, prelude);
  engine.catch(() => undefined);
  spare = { memoryMb, engine };
}

async function takeEngine(memoryMb: number): Promise<Engine> {
  const s = spare;
  spare = undefined;
  if (s && s.memoryMb === memoryMb) {
    try {
      return await s.engine;
    } catch {
      // fall through to a fresh one
    }
  } else if (s) {
    void s.engine.then((e) => e.dispose(), () => undefined);
  }
  return Engine.create(init.wasmModule, memoryMb, prelude);
}

function doneWith(runId: number, outcome: GuestOutcome): DoneMessage {
  return { type: 'done', runId, outcome, logs: [], events: [], logBytesDropped: 0, durationMs: 0, warnings: [] };
}

async function startRun(req: RunRequest): Promise<void> {
  // Stripping types needs no engine: a syntax error leaves the prepared one for the next run.
  const prepared = prepareSource(req.source, req.language);
  if (!prepared.ok) {
    post({ type: 'started', runId: req.runId, clockStartEpochMs: performance.timeOrigin + performance.now() });
    post(doneWith(req.runId, { ok: false, error: prepared.error }));
    return;
  }
  let engine: Engine;
  try {
    engine = await takeEngine(req.limits.memoryMb);
  } catch (err) {
    post(doneWith(req.runId, { ok: false, error: runError('sandbox_crashed', `The sandbox could not start its engine: ${String(err)}`) }));
    return;
  }
  const run = new GuestRun(req, { engine, code: prepared.code, control, post, results, calls }, (reusable) => {
    current = undefined;
    // A reset engine holds the image of a fresh one: it is the next run's spare. Else the next
    // one is made while idle, with the memory size this worker was last asked for.
    if (reusable && !spare) {
      spare = { memoryMb: engine.memoryMb, engine: Promise.resolve(engine) };
      return;
    }
    if (reusable) engine.dispose();
    setImmediate(() => {
      if (!spare && !current) prepareSpare(req.limits.memoryMb);
    });
  });
  current = run;
  run.start();
}

/** Scripts run a notch below the host: on a busy machine a looping script yields the cores to
 *  the editor first. Linux only (a thread's id comes from /proc); elsewhere a no-op. */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, THREAD_NICE);
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}

const THREAD_NICE = 5;

function main(): void {
  lowerThreadPriority();
  try {
    prelude = readFileSync(init.preludePath, 'utf8');
  } catch (err) {
    post({ type: 'fatal', message: `The sandbox prelude ${init.preludePath} could not be read: ${String(err)}. Run the build (node esbuild.mjs).` });
    return;
  }
  prepareSpare(init.spareMemoryMb);
  parentPort?.on('message', (msg: HostToWorker) => {
    // The host sends one run at a time; results and cancels name their run.
    if (msg.type === 'run') void startRun(msg);
    else if (msg.type === 'results') {
      if (current?.runId === msg.runId) current.results(msg.batch, msg.count);
    } else if (msg.type === 'cancel') {
      if (current?.runId === msg.runId) current.stop('cancelled');
    } else if (msg.type === 'pause') {
      if (current?.runId === msg.runId) current.pause(msg.paused);
    }
  });
  void spare?.engine.then(
    () => post({ type: 'ready' }),
    (err: unknown) => post({ type: 'fatal', message: `The sandbox engine could not be prepared: ${String(err)}` }),
  );
}

main();
