// The runs in progress in this window (the user's and models'), each with its own cancel: what the
// status bar, the Runs view and "Stop Run" show. Invariant: a run is listed from the moment it is
// accepted until it settles, and `changed` fires on every add, update and removal.
import * as vscode from 'vscode';

const COUNT_EVERY_MS = 300;

/** One run in progress, as the views show it. */
export interface ActiveRun {
  /** Unique in this window (not the trace id: the trace is named when the sandbox starts). */
  readonly id: string;
  /** The script's file name, or "selection" / "inline script". */
  readonly name: string;
  /** The script file, when there is one. */
  readonly path?: string;
  /** The user's own run (Run Script) or one for a model (run_code, @toolweaver). */
  readonly interactive: boolean;
  readonly startedAtMs: number;
  /** What it waits for before the sandbox starts, if anything. */
  readonly waiting?: 'catalog' | 'sandbox';
  readonly toolCalls: number;
}

/** A registry of runs in progress with one event for every change. */
export class ActiveRuns implements vscode.Disposable {
  private readonly runs = new Map<string, { run: ActiveRun; cancel: () => void }>();
  private readonly changed = new vscode.EventEmitter<readonly ActiveRun[]>();
  private next = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChange = this.changed.event;

  /** Lists a run; returns its id. `cancel` aborts it (the run removes itself when it settles). */
  add(run: Omit<ActiveRun, 'id' | 'startedAtMs' | 'toolCalls'>, cancel: () => void): string {
    const id = `run-${++this.next}`;
    this.runs.set(id, { run: { ...run, id, startedAtMs: Date.now(), toolCalls: 0 }, cancel });
    this.fire();
    return id;
  }

  update(id: string, patch: Partial<Pick<ActiveRun, 'waiting' | 'toolCalls'>>): void {
    const entry = this.runs.get(id);
    if (!entry) return;
    const waitingChanged = 'waiting' in patch && patch.waiting !== entry.run.waiting;
    entry.run = { ...entry.run, ...patch };
    if ('waiting' in patch && patch.waiting === undefined) delete (entry.run as { waiting?: unknown }).waiting;
    // A script may make thousands of calls: counts reach the views at most every COUNT_EVERY_MS.
    if (waitingChanged) this.fire();
    else this.pending ??= setTimeout(() => this.fire(), COUNT_EVERY_MS);
  }

  remove(id: string): void {
    if (this.runs.delete(id)) this.fire();
  }

  /** Oldest first. */
  list(): ActiveRun[] {
    return [...this.runs.values()].map((e) => e.run);
  }

  /** Cancels one run (by id) or, without an id, every run. Returns how many were cancelled. */
  cancel(id?: string): number {
    const targets = id === undefined ? [...this.runs.values()] : [this.runs.get(id)].filter((e) => e !== undefined);
    for (const t of targets) t.cancel();
    return targets.length;
  }

  get size(): number {
    return this.runs.size;
  }

  private fire(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.changed.fire(this.list());
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.changed.dispose();
  }
}
