// The fast path for tool calls (worker → host), the mirror of resultChannel.ts: a worker about to
// block on its results writes the drained calls into a SharedArrayBuffer and wakes the host's
// Atomics.waitAsync, instead of posting a message. Invariant: the host sees slot and messages in
// the order the worker produced them (the slot carries how many messages preceded it, and the host
// takes it only once it has read that many). Calls still cross as text only.

/** Atomics.waitAsync (Node ≥ 16; typed only in lib es2024). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

/** Slot states (word 0). */
const EMPTY = 0;
/** Calls are in the slot: [1] run id, [2] messages posted before, [3] UTF-8 byte length,
 *  [4] console bytes dropped so far. */
const FULL = 1;
const HEADER_BYTES = 32;
/** Largest drained call text the slot holds (bigger ones go as a message). */
export const CALL_SLOT_BYTES = 256 * 1024;

/** A new slot, shared by one worker and its host (WorkerInit.calls). */
export function newCallSlot(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + CALL_SLOT_BYTES);
}

/** Calls the host read from the slot. */
export interface SlotCalls {
  runId: number;
  calls: string;
  logBytesDropped: number;
}

/** The worker's end. Every message the worker posts must be counted with `posted()`. */
export class CallSender {
  private readonly words: Int32Array;
  private readonly data: Buffer;
  private messages = 0;

  constructor(slot: SharedArrayBuffer) {
    this.words = new Int32Array(slot, 0, HEADER_BYTES / 4);
    this.data = Buffer.from(slot, HEADER_BYTES);
  }

  /** Counts one message posted to the host (call it for each, before or after posting). */
  posted(): void {
    this.messages++;
  }

  /** Puts the calls in the slot and wakes the host; false (nothing written) when the slot is still
   *  full or the text does not fit: then post them as a message. */
  offer(runId: number, calls: string, logBytesDropped: number): boolean {
    if (Atomics.load(this.words, 0) !== EMPTY) return false;
    const bytes = Buffer.byteLength(calls);
    if (bytes > CALL_SLOT_BYTES) return false;
    this.data.write(calls, 0, bytes, 'utf8');
    this.words[1] = runId;
    this.words[2] = this.messages;
    this.words[3] = bytes;
    this.words[4] = Math.min(logBytesDropped, 0x7fffffff);
    Atomics.store(this.words, 0, FULL);
    Atomics.notify(this.words, 0);
    return true;
  }
}

/** The host's end: counts the worker's messages and hands over slot calls in order. */
export class CallReceiver {
  private readonly words: Int32Array;
  private readonly data: Buffer;
  private messages = 0;
  private closed = false;

  constructor(slot: SharedArrayBuffer) {
    this.words = new Int32Array(slot, 0, HEADER_BYTES / 4);
    this.data = Buffer.from(slot, HEADER_BYTES);
  }

  /** Wraps the handling of each message from the worker: slot calls written before that message
   *  was posted are handed to `deliver` first, those written right after it once it is handled. */
  onMessage(handle: () => void, deliver: (c: SlotCalls) => void): void {
    const before = this.take();
    if (before) deliver(before);
    this.messages++;
    handle();
    const after = this.take();
    if (after) deliver(after);
  }

  /** The slot's calls once every message posted before them has been read, else undefined. */
  take(): SlotCalls | undefined {
    if (Atomics.load(this.words, 0) !== FULL) return undefined;
    if ((this.words[2] as number) > this.messages) return undefined;
    const out = { runId: this.words[1] as number, logBytesDropped: this.words[4] as number, calls: this.data.toString('utf8', 0, this.words[3] as number) };
    Atomics.store(this.words, 0, EMPTY);
    // Ends the listener's wait on a full slot (see listen).
    Atomics.notify(this.words, 0);
    return out;
  }

  /** Wakes `onFull` on the event loop whenever the worker fills the slot, until `close`. A pending
   *  waitAsync does not keep the process alive. */
  listen(onFull: () => void): void {
    const loop = (): void => {
      if (this.closed) return;
      const w = waitAsync(this.words, 0, EMPTY);
      if (w.async) {
        void w.value.then(() => {
          if (this.closed) return;
          onFull();
          loop();
        });
      } else {
        // Already full: hand it over on a microtask (not re-entrantly), then wait for the next.
        queueMicrotask(() => {
          if (this.closed) return;
          onFull();
          // Still full (messages before it are in flight): wait for the next change, not spin.
          if (Atomics.load(this.words, 0) === FULL) waitChange();
          else loop();
        });
      }
    };
    // The slot stays full until a message arrives that lets `beforeMessage` take it.
    const waitChange = (): void => {
      if (this.closed) return;
      const w = waitAsync(this.words, 0, FULL);
      if (w.async) void w.value.then(loop);
      else loop();
    };
    loop();
  }

  /** Stops listening (the worker is gone). */
  close(): void {
    this.closed = true;
  }
}
