// What the stdio transport and its server supervisor (dist/serverSupervisor.js) say to each other
// over the supervisor's fd 3: one JSON object per line. Invariant: the transport writes exactly one
// `spec` and then only closes the channel; the close (or the transport's death) means "end it all".

/** The supervisor's file descriptors: 3 the control channel, 4-6 the server's stdin/stdout/stderr. */
export const SUPERVISOR_FDS = { control: 3, stdin: 4, stdout: 5, stderr: 6 } as const;

/** Transport → supervisor, first and only message: what to run. */
export interface SupervisorSpec {
  type: 'spec';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Time between SIGTERM and SIGKILL when the supervisor ends the server's processes. */
  graceMs: number;
}

/** Supervisor → transport. */
export type SupervisorReport =
  | { type: 'spawned'; pid: number }
  /** Spawning the server failed (e.g. ENOENT); the fields of the Node error. */
  | { type: 'spawn_error'; code?: string; errno?: number; syscall?: string; path?: string; message: string }
  /** The server process itself ended; the supervisor then ends what it left behind and exits. */
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/** Parses one line from the supervisor; undefined for anything else. */
export function parseSupervisorReport(line: string): SupervisorReport | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.type === 'spawned' && typeof r.pid === 'number') return { type: 'spawned', pid: r.pid };
  if (r.type === 'spawn_error' && typeof r.message === 'string') {
    return {
      type: 'spawn_error',
      message: r.message,
      code: typeof r.code === 'string' ? r.code : undefined,
      errno: typeof r.errno === 'number' ? r.errno : undefined,
      syscall: typeof r.syscall === 'string' ? r.syscall : undefined,
      path: typeof r.path === 'string' ? r.path : undefined,
    };
  }
  if (r.type === 'exit') {
    return { type: 'exit', code: typeof r.code === 'number' ? r.code : null, signal: typeof r.signal === 'string' ? (r.signal as NodeJS.Signals) : null };
  }
  return undefined;
}
