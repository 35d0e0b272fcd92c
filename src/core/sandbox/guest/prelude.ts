// The guest prelude (bundled to dist/sandboxPrelude.js, evaluated in QuickJS when a worker prepares an
// engine): takes the host API off the global object, installs the script's globals, registers the
// worker's entry points. Invariant: intrinsics are captured first, so patched globals hurt one run.

import { bestBy, collect, majorityVote } from '../../flow/aggregate';
import { createFlowHelpers } from '../../flow/helpers';
import type { FlowRuntime, FlowSpan, HelperName } from '../../flow/types';
import type { GuestHostApi, GuestConfig } from '../guestApi';
import { createGuestCalls } from './calls';
import { createConsole } from './console';
import { describe, ToolError } from './errors';
import { createHostHelpers } from './hostHelpers';
import { dateNow, defineProperty, freeze, keysOf, mathRandom, parse, stringify } from './intrinsics';
import { createStart } from './scriptResult';
import { buildTools } from './toolsObject';

const g = globalThis as unknown as Record<string, unknown>;
const host = g.__tw as GuestHostApi;
delete g.__tw;
const calls = createGuestCalls(host);
const { searchTools, describeTool, llm } = createHostHelpers(calls);
let spanSeq = 0;

function emit(event: Record<string, unknown>): void {
  try {
    host.event(stringify(event));
  } catch {
    // Attributes that cannot be serialized are dropped with the event; the run goes on.
  }
}

const runtime: FlowRuntime = {
  sleep: calls.sleepFor,
  now: () => dateNow(),
  random: () => mathRandom(),
  isCancelled: () => host.cancelled(),
  startSpan(helper: HelperName, attrs: Record<string, unknown>): FlowSpan {
    const id = `h${++spanSeq}`;
    emit({ type: 'helper.start', spanId: id, parentId: calls.parent, helper, attrs });
    let ended = false;
    return {
      id,
      enter<T>(fn: () => T): T {
        const prev = calls.parent;
        calls.parent = id;
        try {
          return fn();
        } finally {
          calls.parent = prev;
        }
      },
      end(ok, endAttrs, error) {
        if (ended) return;
        ended = true;
        emit({ type: 'helper.end', spanId: id, ok, attrs: endAttrs, error });
      },
    };
  },
};

function installGlobal(name: string, value: unknown): void {
  defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
}
const guestConsole = createConsole(host);
installGlobal('console', guestConsole.console);
installGlobal('ToolError', ToolError);
const helpers = createFlowHelpers(runtime) as unknown as Record<string, unknown>;
for (const name of keysOf(helpers)) installGlobal(name, helpers[name]);
installGlobal('collect', collect);
installGlobal('majorityVote', majorityVote);
installGlobal('bestBy', bestBy);
installGlobal('llm', llm);
installGlobal('toolweaver', freeze({ search: searchTools, describe: describeTool }));

/** Called by the worker at the start of a run, before the script: limits and `tools`. */
function configure(json: string): void {
  const config = parse(json) as GuestConfig;
  calls.setConfig(config);
  guestConsole.budget.left = config.maxLogBytes;
  installGlobal('tools', buildTools(config.layout, calls.callTool, searchTools, describeTool));
  // One-shot hook of the run layer's prologue (RunOptions.prologue), which deletes it.
  if (config.prologue) installGlobal('__twPrologue', freeze({ span: (attrs: Record<string, unknown>) => runtime.startSpan('skill', attrs), parent: () => calls.parent }));
}

host.register(calls.settle, createStart(host, () => calls.config.maxResultBytes), describe, configure, calls.drain);
