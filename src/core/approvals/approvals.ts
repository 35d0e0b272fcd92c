// Nested approvals: decides allow / ask / deny for each tool call from the user's policy and MCP
// annotations, asks through a broker port, and wraps a ToolInvoker. Invariant: a call that is not
// allowed never reaches the inner invoker; every decision is reported (for the trace).
import type { Catalog, ToolAnnotations } from '../catalog/types';
import { ToolError } from '../errors';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../ports';

export type ApprovalAction = 'allow' | 'ask' | 'deny';

/** `match` is a glob over `server/tool` (original names); `*` matches any run of characters.
 *  A pattern without `/` names servers: `github` means `github/*`. */
export interface ApprovalRule {
  match: string;
  action: ApprovalAction;
}

/**
 * The user's policy. Resolution for one call, first that applies:
 * 1. the matching rule with the most literal (non-`*`) characters; on a tie the stricter action
 *    (deny > ask > allow) wins;
 * 2. tools that may change things (annotations: destructiveHint true, or readOnlyHint not true)
 *    get `default` (default 'ask');
 * 3. read-only tools get `readOnly` (default 'allow').
 */
export interface ApprovalPolicy {
  default?: ApprovalAction;
  readOnly?: ApprovalAction;
  rules: ApprovalRule[];
  /**
   * A second policy that can only make decisions stricter: each call gets the stricter of the two
   * (e.g. a workspace's setting over the user's, so a repository cannot loosen approvals).
   */
  tightenedBy?: ApprovalPolicy;
}

export type ApprovalAnswer = 'once' | 'run' | 'always' | 'deny';

export interface ApprovalRequest {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** 1-based script line of the call, when known. */
  line?: number;
  runId: string;
  /** Why approval is needed, one sentence (for the prompt). */
  reason: string;
}

/** Port: asks a person (a modal in VS Code). May reject or never settle; the wrapper times out. */
export interface ApprovalBroker {
  ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
}

/** Port: the persisted "always allow" list (keys `server/tool`). */
export interface AllowListStore {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

export type DecisionSource = 'rule' | 'annotations' | 'user' | 'run' | 'always' | 'timeout' | 'non_interactive' | 'cancelled';

/** One decision, for the trace. */
export interface ApprovalDecision {
  runId: string;
  server: string;
  tool: string;
  line?: number;
  outcome: 'allowed' | 'denied';
  source: DecisionSource;
  /** The user's answer, when one was asked. */
  answer?: ApprovalAnswer;
  /** The rule that decided, when one did. */
  rule?: string;
  /** Time spent waiting for the user. */
  waitedMs: number;
  /** Epoch ms when decided. */
  at: number;
}

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;
const STRICTNESS: Record<ApprovalAction, number> = { allow: 0, ask: 1, deny: 2 };

function globToRegExp(glob: string): RegExp {
  const full = glob.includes('/') ? glob : `${glob}/*`;
  return new RegExp(`^${full.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** True when annotations do not promise a read-only, non-destructive tool. */
export function mayChangeThings(a: ToolAnnotations | undefined): boolean {
  return a?.destructiveHint === true || a?.readOnlyHint !== true;
}

/** The policy's action for one tool, and what decided it. Pure. */
export function decideAction(
  policy: ApprovalPolicy,
  server: string,
  tool: string,
  annotations: ToolAnnotations | undefined,
): { action: ApprovalAction; source: 'rule' | 'annotations'; rule?: string } {
  const own = decideOwnAction(policy, server, tool, annotations);
  if (!policy.tightenedBy) return own;
  const other = decideAction(policy.tightenedBy, server, tool, annotations);
  return STRICTNESS[other.action] > STRICTNESS[own.action] ? other : own;
}

/** The stricter of two actions (deny > ask > allow). */
export function stricterAction(a: ApprovalAction, b: ApprovalAction): ApprovalAction {
  return STRICTNESS[b] > STRICTNESS[a] ? b : a;
}

function decideOwnAction(
  policy: ApprovalPolicy,
  server: string,
  tool: string,
  annotations: ToolAnnotations | undefined,
): { action: ApprovalAction; source: 'rule' | 'annotations'; rule?: string } {
  const key = `${server}/${tool}`;
  let best: { rule: ApprovalRule; weight: number } | undefined;
  for (const rule of policy.rules) {
    if (!globToRegExp(rule.match).test(key)) continue;
    const weight = rule.match.replace(/\*/g, '').length + (rule.match.includes('/') ? 0.5 : 0);
    if (!best || weight > best.weight || (weight === best.weight && STRICTNESS[rule.action] > STRICTNESS[best.rule.action])) {
      best = { rule, weight };
    }
  }
  if (best) return { action: best.rule.action, source: 'rule', rule: best.rule.match };
  const changes = mayChangeThings(annotations);
  return { action: changes ? (policy.default ?? 'ask') : (policy.readOnly ?? 'allow'), source: 'annotations' };
}

/** A policy from CLI flags: `--allow GLOB`, `--deny GLOB` (repeatable), `--allow-all`, over the
 *  policy files of `--policy FILE` (repeatable). The first file is the base (its fields, then the
 *  flags' rules, which are more specific in practice, and `--allow-all` sets its default); each
 *  further file can only tighten (ApprovalPolicy.tightenedBy; its absent fields tighten nothing). No flag and no file: the defaults,
 *  so tools that may change things need approval, which non-interactive callers deny. */
export function policyFromFlags(
  flags: { allow?: string[]; deny?: string[]; allowAll?: boolean },
  files: ReadonlyArray<{ default?: ApprovalAction; readOnly?: ApprovalAction; rules?: ApprovalRule[] }> = [],
): ApprovalPolicy {
  const [base, ...tightening] = files;
  const policy: ApprovalPolicy = {
    default: flags.allowAll ? 'allow' : (base?.default ?? 'ask'),
    rules: [
      ...(base?.rules ?? []),
      ...(flags.allow ?? []).map((match) => ({ match, action: 'allow' as const })),
      ...(flags.deny ?? []).map((match) => ({ match, action: 'deny' as const })),
    ],
  };
  if (flags.allowAll) policy.readOnly = 'allow';
  else if (base?.readOnly) policy.readOnly = base.readOnly;
  let last = policy;
  for (const f of tightening) {
    // A tightening file tightens only by what it says: a field it leaves out loosens nothing.
    const next: ApprovalPolicy = { default: f.default ?? 'allow', readOnly: f.readOnly ?? 'allow', rules: [...(f.rules ?? [])] };
    last.tightenedBy = next;
    last = next;
  }
  return policy;
}

/** `'text'` for a POSIX shell (the CLI flags in denial messages are meant to be copied). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** The sentence a denial ends with when a flag or the policy file could allow the call. */
export function howToAllow(server: string, tool: string): string {
  const key = `${server}/${tool}`;
  return `To allow it, give toolweaver --allow ${shellQuote(key)} (or --allow ${shellQuote(`${server}/*`)} for every tool of "${server}", or --allow-all for every tool), or add { "match": ${JSON.stringify(key)}, "action": "allow" } to the rules of a --policy FILE.`;
}

/** An in-memory allow-list (tests; the extension persists its own through globalState). */
export function createMemoryAllowList(initial: string[] = []): AllowListStore & { keys(): string[] } {
  const set = new Set(initial);
  return { has: (k) => set.has(k), add: (k) => void set.add(k), keys: () => [...set] };
}

export interface WithApprovalsOptions {
  catalog: Catalog;
  runId: string;
  /** Receives every decision as it is made (also kept in `decisions`). */
  onDecision?: (decision: ApprovalDecision) => void;
  timeoutMs?: number;
  allowList?: AllowListStore;
  now?: () => number;
  /** Why nobody can be asked when there is no broker, one clause (the denial says it), e.g.
   *  "toolweaver run is non-interactive". Default: "nobody can be asked here (non-interactive)". */
  whyNoBroker?: string;
}

export interface ApprovingInvoker extends ToolInvoker {
  readonly decisions: ApprovalDecision[];
}

/**
 * Wraps an invoker so each call is decided first. Without a broker (CLI, CI) an 'ask' becomes a
 * denial that says which flag allows it. Denials reject with ToolError 'denied' (catchable in scripts).
 * Prompts are asked one at a time; a 'run' or 'always' answer also releases queued calls to that tool.
 */
export function withApprovals(
  inner: ToolInvoker,
  policy: ApprovalPolicy,
  broker: ApprovalBroker | undefined,
  opts: WithApprovalsOptions,
): ApprovingInvoker {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const forRun = new Set<string>();
  const decisions: ApprovalDecision[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const annotationsOf = (server: string, tool: string): ToolAnnotations | undefined =>
    opts.catalog.servers.find((s) => s.name === server)?.tools.find((t) => t.name === tool)?.annotations;

  function record(d: Omit<ApprovalDecision, 'runId' | 'at'>): ApprovalDecision {
    const full: ApprovalDecision = { runId: opts.runId, at: now(), ...d };
    decisions.push(full);
    opts.onDecision?.(full);
    return full;
  }

  function deny(req: ToolCallRequest, message: string): never {
    throw new ToolError('denied', message, { server: req.server, tool: req.tool });
  }

  async function askUser(req: ToolCallRequest, key: string, reason: string, signal: AbortSignal): Promise<ApprovalDecision> {
    const line = req.line;
    if (forRun.has(key)) return record({ server: req.server, tool: req.tool, line, outcome: 'allowed', source: 'run', waitedMs: 0 });
    if (opts.allowList && (await opts.allowList.has(key))) {
      return record({ server: req.server, tool: req.tool, line, outcome: 'allowed', source: 'always', waitedMs: 0 });
    }
    const started = now();
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        // A broker that throws (even synchronously) counts as a denial, never as a crash of the call.
        Promise.resolve().then(() => broker!.ask({ server: req.server, tool: req.tool, args: req.args, line, runId: opts.runId, reason }, ac.signal)),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
        new Promise<'cancelled'>((resolve) => {
          if (signal.aborted) resolve('cancelled');
          signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
        }),
      ]).catch(() => 'deny' as const);
      const waitedMs = now() - started;
      if (answer === 'timeout' || answer === 'cancelled') {
        ac.abort();
        return record({ server: req.server, tool: req.tool, line, outcome: 'denied', source: answer, waitedMs });
      }
      if (answer === 'run') forRun.add(key);
      if (answer === 'always') await opts.allowList?.add(key);
      return record({ server: req.server, tool: req.tool, line, outcome: answer === 'deny' ? 'denied' : 'allowed', source: 'user', answer, waitedMs });
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    decisions,
    async callTool(req: ToolCallRequest, callOpts: ToolCallOptions): Promise<unknown> {
      const key = `${req.server}/${req.tool}`;
      const annotations = annotationsOf(req.server, req.tool);
      const { action, source, rule } = decideAction(policy, req.server, req.tool, annotations);
      const base = { server: req.server, tool: req.tool, line: req.line, waitedMs: 0 };
      if (action === 'allow') {
        record({ ...base, outcome: 'allowed', source, rule });
        return inner.callTool(req, callOpts);
      }
      if (action === 'deny') {
        record({ ...base, outcome: 'denied', source, rule });
        if (rule) deny(req, `The call to ${key} was denied by the approval policy (rule "${rule}").`);
        deny(req, `The call to ${key} was denied by the approval policy's ${mayChangeThings(annotations) ? '"default" (tools that may change things)' : '"readOnly" (read-only tools)'}. ${howToAllow(req.server, req.tool)}`);
      }
      const reason = rule
        ? `The policy rule "${rule}" asks before calling ${key}.`
        : annotations?.destructiveHint
          ? `${key} is marked destructive.`
          : `${key} is not marked read-only, so it may change things.`;
      if (!broker) {
        record({ ...base, outcome: 'denied', source: 'non_interactive', rule });
        deny(req, `${reason} It needs approval, but ${opts.whyNoBroker ?? 'nobody can be asked here (non-interactive)'}, so the call was denied. ${howToAllow(req.server, req.tool)}`);
      }
      // One prompt at a time; later calls re-check the run/always memory after earlier answers.
      const turn = queue.then(() => askUser(req, key, reason, callOpts.signal));
      queue = turn.catch(() => undefined);
      // Waiting for a person (or for an earlier prompt) is not the call's or the script's time.
      notify(callOpts, 'pending');
      let decision: ApprovalDecision;
      try {
        decision = await turn;
      } finally {
        notify(callOpts, 'settled');
      }
      if (decision.outcome === 'denied') {
        const why =
          decision.source === 'timeout'
            ? `nobody answered the approval prompt within ${Math.round(timeoutMs / 1000)} s`
            : decision.source === 'cancelled'
              ? 'the run was cancelled while waiting for approval'
              : 'the user denied it';
        deny(req, `The call to ${key} was not approved: ${why}.`);
      }
      return inner.callTool(req, callOpts);
    },
  };
}

/** How a run's calls are approved: the one approvals seam executeRun and the sandbox runner take.
 *  Each run wraps its invoker with it afresh (approvingInvoker), so a 'run' answer never outlives its run. */
export interface ApprovalSetup {
  policy: ApprovalPolicy;
  /** Undefined = nobody can be asked (CLI, MCP server mode): 'ask' becomes a denial. */
  broker?: ApprovalBroker;
  allowList?: AllowListStore;
  /** How long a prompt waits for an answer (default DEFAULT_APPROVAL_TIMEOUT_MS); also the most a
   *  run's clock stays paused for prompts. */
  timeoutMs?: number;
  onDecision?: (d: ApprovalDecision) => void;
  /** See WithApprovalsOptions.whyNoBroker. */
  whyNoBroker?: string;
}

/** The invoker of run `runId` under `setup` (withApprovals; its `decisions` are this run's). */
export function approvingInvoker(invoker: ToolInvoker, setup: ApprovalSetup, catalog: Catalog, runId: string): ApprovingInvoker {
  return withApprovals(invoker, setup.policy, setup.broker, {
    catalog,
    runId,
    allowList: setup.allowList,
    timeoutMs: setup.timeoutMs,
    onDecision: setup.onDecision,
    whyNoBroker: setup.whyNoBroker,
  });
}

/** Tells the caller about an approval wait; a throwing listener must not change the decision. */
function notify(callOpts: ToolCallOptions, state: 'pending' | 'settled'): void {
  try {
    callOpts.onApproval?.(state);
  } catch {
    // the listener's problem; the call goes on
  }
}
