// A snapshot of the process table from Linux's /proc: parent, group, session and start time of
// every process, to find a server's descendants (also those that left its group with setsid).
// Invariant: never throws; where /proc is missing (macOS, Windows) the snapshot is undefined.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  /** Clock ticks since boot: with the pid, identifies a process across pid reuse. */
  start: string;
  /** 'Z' for a zombie (already dead, not yet reaped). */
  state: string;
}

/** Parses one /proc/PID/stat line; the command name may hold spaces and parentheses. */
export function parseStat(text: string): ProcInfo | undefined {
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).split(' ');
  // f[0] = state (field 3), f[1] = ppid, f[2] = pgrp, f[3] = session, f[19] = starttime (field 22).
  const info = { pid, state: f[0] ?? '', ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]), start: f[19] ?? '' };
  return Number.isInteger(pid) && Number.isInteger(info.ppid) ? info : undefined;
}

/** Every live process, or undefined without /proc. */
export function readProcTable(): Map<number, ProcInfo> | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const table = new Map<number, ProcInfo>();
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    try {
      const info = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (info) table.set(info.pid, info);
    } catch {
      // exited between readdir and read
    }
  }
  return table;
}

/** Processes below `root` (not `root` itself) by parent links, zombies left out. */
export function descendantsOf(root: number, table: Map<number, ProcInfo>): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcInfo[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop() as number) ?? []) {
      if (c.pid === root) continue;
      if (c.state !== 'Z') out.push(c);
      stack.push(c.pid);
    }
  }
  return out;
}

/** True while the process that had this pid and start time is alive (a zombie counts as dead). */
export function stillRunning(pid: number, start: string): boolean {
  try {
    const info = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return info !== undefined && info.start === start && info.state !== 'Z';
  } catch {
    return false;
  }
}
