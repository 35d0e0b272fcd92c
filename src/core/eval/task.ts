// What an eval task is (a script, the catalog a user would configure for it, and a check of its
// value) and the catalog subset it runs against. Invariant: a subset that names a server or tool
// the catalog lacks is a ConfigError, never a silently smaller catalog.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/types';
import { ConfigError } from '../errors';

/** A check's answer: true = correct; false or a string (the reason) = incorrect. */
export type CheckVerdict = boolean | string;

/** One task of an eval suite (the bench's tokenTasks.ts, or a folder for `toolweaver eval`). */
export interface EvalTask {
  name: string;
  /** What the user asked for. */
  description?: string;
  /** The script, as `toolweaver run` takes it (runs in the sandbox). */
  script: string;
  language?: 'ts' | 'js';
  /** Where the script came from, recorded in the trace. */
  scriptPath?: string;
  /** The servers the user would configure for this task; default: the whole catalog. */
  servers?: readonly string[];
  /** Narrower still: only these tools, as `server.tool`. */
  tools?: readonly string[];
  /** `failure`: the task is correct when the run fails (and `check`, if given, accepts the error). */
  expect?: 'ok' | 'failure';
  /** Runs in the host (the user's own, trusted code): receives the run's value, or its error when
   *  `expect` is `failure`. May be async. */
  check?: (value: unknown) => CheckVerdict | Promise<CheckVerdict>;
}

/** The catalog restricted to the task's servers and tools. Its id is the full catalog's plus a hash
 *  of the subset: the sandbox keys its tool bridge by catalog id, so a subset must not share it. */
export function restrictCatalog(catalog: Catalog, task: Pick<EvalTask, 'name' | 'servers' | 'tools'>): Catalog {
  const known = new Set(catalog.servers.map((s) => s.name));
  const missingServer = (task.servers ?? []).find((s) => !known.has(s));
  if (missingServer !== undefined) {
    throw new ConfigError('eval_task_invalid', `Task "${task.name}" names the server "${missingServer}", which the catalog does not have (it has: ${[...known].join(', ') || 'none'}). Configure it, or fix the task's servers.`);
  }
  const wanted = task.tools ? new Set(task.tools) : undefined;
  if (wanted) {
    const all = new Set(catalog.servers.flatMap((s) => s.tools.map((t) => `${s.name}.${t.name}`)));
    const missingTool = [...wanted].find((t) => !all.has(t));
    if (missingTool !== undefined) {
      throw new ConfigError('eval_task_invalid', `Task "${task.name}" names the tool "${missingTool}", which the catalog does not have. Tools are written server.tool, e.g. "${[...all][0] ?? 'demo.get_order'}".`);
    }
  }
  const servers = catalog.servers
    .filter((s) => !task.servers || task.servers.includes(s.name))
    .map((s) => (wanted ? { ...s, tools: s.tools.filter((t) => wanted.has(`${s.name}.${t.name}`)) } : s))
    .filter((s) => s.tools.length > 0);
  if (!task.servers && !wanted) return catalog;
  const subset = createHash('sha256').update(JSON.stringify(servers.map((s) => [s.name, s.tools.map((t) => t.name)]))).digest('hex').slice(0, 12);
  return { ...catalog, id: `${catalog.id}~${subset}`, servers };
}
