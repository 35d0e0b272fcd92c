// The fast path for tool results (host → worker): while a worker waits on in-flight calls it blocks
// in Atomics.wait on a SharedArrayBuffer, and the host writes the batch there and wakes it — no
// message, no event-loop turn on the worker's side. Invariant: the host writes only into a slot the
// worker is blocked on (claimed by compare-and-swap); otherwise results go as a message, as before.
// Results still cross as JSON text only.

/** Slot states (word 0). */
const IDLE = 0;
/** The worker is blocked in Atomics.wait on word 0 and will read a batch. */
const WAITING = 1;
/** The host claimed the slot and is writing. */
const WRITING = 2;
/** A batch is in the slot: [1] run id, [2] count, [3] its UTF-8 byte length. */
const READY = 3;
const HEADER_BYTES = 16;
/** Largest batch the slot holds (bigger ones go as a message). */
export const RESULT_SLOT_BYTES = 256 * 1024;

/** A new slot, shared by one worker and its host (WorkerInit.results). */
export function newResultSlot(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + RESULT_SLOT_BYTES);
}

/** The host's end: hands a batch to a blocked worker, or wakes it so it reads its messages. */
export class ResultSender {
  private readonly words: Int32Array;
  private readonly data: Buffer;

  constructor(slot: SharedArrayBuffer) {
    this.words = new Int32Array(slot, 0, HEADER_BYTES / 4);
    this.data = Buffer.from(slot, HEADER_BYTES);
  }

  /** Writes the batch into the slot if the worker is blocked on it; false = send it as a message. */
  offer(runId: number, batch: string, count: number): boolean {
    const bytes = Buffer.byteLength(batch);
    if (bytes > RESULT_SLOT_BYTES) return false;
    if (Atomics.compareExchange(this.words, 0, WAITING, WRITING) !== WAITING) return false;
    this.data.write(batch, 0, bytes, 'utf8');
    this.words[1] = runId;
    this.words[2] = count;
    this.words[3] = bytes;
    Atomics.store(this.words, 0, READY);
    Atomics.notify(this.words, 0);
    return true;
  }

  /** Ends a blocked worker's wait (call after posting a message it must read: cancel, pause, a
   *  batch too big for the slot). */
  wake(): void {
    if (Atomics.compareExchange(this.words, 0, WAITING, IDLE) === WAITING) Atomics.notify(this.words, 0);
  }
}

/** A batch the worker read from the slot. */
export interface SlotBatch {
  runId: number;
  batch: string;
  count: number;
}

/** The worker's end: blocks until the host writes a batch, wakes it, or the time is up. */
export class ResultReceiver {
  private readonly words: Int32Array;
  private readonly data: Buffer;

  constructor(slot: SharedArrayBuffer) {
    this.words = new Int32Array(slot, 0, HEADER_BYTES / 4);
    this.data = Buffer.from(slot, HEADER_BYTES);
  }

  /** Opens the slot to the host. Call before posting the calls whose results it should take
   *  (else the host may answer before the slot is open, by a message the block would sit on). */
  arm(): void {
    Atomics.store(this.words, 0, WAITING);
  }

  /** After `arm`: blocks the thread up to `ms` (0 = just close the slot); undefined when woken
   *  without a batch or timed out (the caller goes back to its event loop, where messages wait). */
  wait(ms: number): SlotBatch | undefined {
    if (ms > 0) Atomics.wait(this.words, 0, WAITING, ms);
    // Timed out: take the slot back, unless the host claimed it meanwhile.
    if (Atomics.compareExchange(this.words, 0, WAITING, IDLE) === WAITING) return undefined;
    // The host is writing: that takes microseconds.
    while (Atomics.load(this.words, 0) === WRITING) Atomics.wait(this.words, 0, WRITING, 5);
    if (Atomics.load(this.words, 0) !== READY) return undefined;
    const out = { runId: this.words[1] as number, count: this.words[2] as number, batch: this.data.toString('utf8', 0, this.words[3] as number) };
    Atomics.store(this.words, 0, IDLE);
    return out;
  }
}
