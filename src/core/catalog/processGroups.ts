// The process groups of the stdio servers this process started: tracked so that every exit path can
// end them (detached servers outlive us otherwise), signalled as a whole, and found running or not.
// Invariant: a group is tracked from its spawn until close() or its last process ended.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readProcTable } from './procTree';

/** Live process groups → whether a supervisor leads them. */
const liveGroups = new Map<number, boolean>();
let exitHookInstalled = false;
/** Remembers a group this process started, so exit paths can end it. */
export function trackGroup(pgid: number, supervised: boolean): void {
  liveGroups.set(pgid, supervised);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached servers outlive us otherwise; 'exit' handlers must be synchronous.
  process.once('exit', () => signalAllServerGroups());
}

/**
 * Signals every server group this process started, synchronously (for exit paths that cannot wait):
 * SIGTERM to supervised groups (their supervisor then sweeps the group and its setsid descendants
 * and SIGKILLs what is left), SIGKILL to the others.
 */
export function signalAllServerGroups(): void {
  for (const [pgid, supervised] of liveGroups) killGroup(pgid, supervised ? 'SIGTERM' : 'SIGKILL');
}

/** Server process groups still alive, for the CLI's exit paths and tests. */
export function liveServerGroups(): number[] {
  return [...liveGroups.keys()].filter(groupRunning);
}

/**
 * Finds dist/serverSupervisor.js: TOOLWEAVER_SERVER_SUPERVISOR (a path, or `off`), next to the running bundle, or the
 * repository's dist/ when running from source (tests). Undefined on Windows (no process groups)
 * or when it is not there; servers then run without a supervisor.
 */
export function locateSupervisor(): string | undefined {
  // 'off' is the escape hatch (and lets a test show what happens without one).
  if (process.platform === 'win32' || process.env.TOOLWEAVER_SERVER_SUPERVISOR === 'off') return undefined;
  const candidates = [
    process.env.TOOLWEAVER_SERVER_SUPERVISOR,
    path.join(__dirname, 'serverSupervisor.js'),
    path.resolve(__dirname, '../../../dist/serverSupervisor.js'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  return candidates.find((c) => existsSync(c));
}

/** Signals every process of the group; an empty group is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}

/** True while any process of the group runs: zombies (dead, not yet reaped by a slow init) do not
 *  count where /proc can tell them apart; elsewhere they do. */
export function groupRunning(pgid: number): boolean {
  const table = readProcTable();
  if (!table) return groupAlive(pgid);
  for (const p of table.values()) if (p.pgrp === pgid && p.state !== 'Z') return true;
  return false;
}

/** True while any process of the group is alive (zombies included). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Forgets a group: always after close(), and on 'close' once nothing in it runs. */
export function untrackGroup(pgid: number, onlyIfDone = false): void {
  if (!onlyIfDone || !groupRunning(pgid)) liveGroups.delete(pgid);
}
