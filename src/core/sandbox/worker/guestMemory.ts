// The WebAssembly.Memory under one engine: small at first, growable up to the run's cap (its
// `maximum` is the real memory limit). Invariant: one memory per engine, never moved to another
// (an engine reset between runs rewrites its own memory: see Engine.reset).

/** Guest memory a fresh engine starts with (MiB; less when the cap is lower): enough for the
 *  prelude and small scripts without a grow, and the least the QuickJS build accepts. */
export const INITIAL_MEMORY_MB = 16;

/** One engine's memory and whether malloc ever asked it to grow past the cap. */
export class GuestMemory {
  readonly memory: WebAssembly.Memory;
  /** Turns true once a grow was refused: malloc asked for more than the cap allows. */
  exhausted = false;

  constructor(readonly memoryMb: number) {
    const pages = memoryMb * 16;
    // A memory of the full cap up front costs V8 an "external memory pressure" GC per run at
    // 256 MiB; one that starts small and grows on demand does not, and `maximum` stays a hard cap.
    this.memory = new WebAssembly.Memory({ initial: Math.min(pages, INITIAL_MEMORY_MB * 16), maximum: pages });
    // Emscripten's sbrk grows the memory through this method (inside a try, retrying smaller
    // amounts): a refusal is the exact "heap exhausted" signal (QuickJS's own malloc accounting
    // is not usable in this build, which is also why there is no setMemoryLimit).
    const grow = this.memory.grow.bind(this.memory);
    Object.defineProperty(this.memory, 'grow', {
      value: (delta: number): number => {
        try {
          return grow(delta);
        } catch (err) {
          this.exhausted = true;
          throw err;
        }
      },
    });
  }
}
