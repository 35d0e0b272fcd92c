// The lifecycle of one guest run as named states, with every legal transition in one table.
// Invariant: a run only moves forward (running → stopping → finishing → done | broken); `done` and
// `broken` are final, and any other move is a bug in ToolWeaver that `moveTo` refuses loudly.

/** Why the guest was stopped before it finished on its own (see stopError). */
export type StopReason = 'timeout' | 'cancelled' | 'quota' | 'sleeps';

/** Where a guest run is. The wall clock's pause is not a lifecycle state (see RunClock): the guest
 *  keeps running while an approval prompt holds the clock. */
export type RunState =
  /** The guest may progress: results are settled, jobs run, new calls drained. */
  | { kind: 'running' }
  /** The run must end: the guest is interrupted at its next check, and the pump finishes. */
  | { kind: 'stopping'; reason: StopReason }
  /** The outcome is being decided; the guest may only run to describe a thrown value, until
   *  `describeUntil` (performance.now()). `reason` set: the outcome is that stop. */
  | { kind: 'finishing'; reason: StopReason | null; describeUntil: number }
  /** The outcome was posted; the engine was (or is being) disposed. */
  | { kind: 'done' }
  /** The outcome was posted after a host-side fault: the engine is abandoned, never disposed or reused. */
  | { kind: 'broken' };

export type RunStateKind = RunState['kind'];

/** The legal moves. finishing → finishing updates the describe window or the reason. */
export const TRANSITIONS: Readonly<Record<RunStateKind, readonly RunStateKind[]>> = {
  running: ['stopping', 'finishing', 'done', 'broken'],
  stopping: ['finishing', 'done', 'broken'],
  finishing: ['finishing', 'done', 'broken'],
  done: [],
  broken: [],
};

/** An illegal lifecycle move: always a bug in ToolWeaver, never something a script can cause. */
export class IllegalRunTransition extends Error {
  override readonly name = 'IllegalRunTransition' as const;
  constructor(
    readonly from: RunStateKind,
    readonly to: RunStateKind,
  ) {
    super(`A guest run cannot move from '${from}' to '${to}' (a bug in ToolWeaver).`);
  }
  static is(err: unknown): err is IllegalRunTransition {
    return err instanceof IllegalRunTransition;
  }
}

/** True once the outcome was posted. */
export function isOver(s: RunState): s is { kind: 'done' } | { kind: 'broken' } {
  return s.kind === 'done' || s.kind === 'broken';
}

/** The stop reason the state carries, if any. */
export function stopReasonOf(s: RunState): StopReason | null {
  return s.kind === 'stopping' || s.kind === 'finishing' ? s.reason : null;
}

/** Returns `to` when the move is legal; throws IllegalRunTransition otherwise. */
export function moveTo(from: RunState, to: RunState): RunState {
  if (!TRANSITIONS[from.kind].includes(to.kind)) throw new IllegalRunTransition(from.kind, to.kind);
  return to;
}
