// The `tools` object a script calls: one frozen object per server with a function per tool, and
// proxies so that a missing server or tool rejects with a ToolError naming it (and the closest
// name) instead of `undefined`. Invariant: `in` and Object.keys stay exact; nothing is writable.

import type { ServerLayoutInfo, ToolLayout } from '../protocol';
import { closestNames } from '../../editing/closestName';
import { callerLine, rejected } from './calls';
import { ToolError } from './errors';
import { apply, arrayJoin, create, defineProperty, freeze, keysOf, ProxyCtor } from './intrinsics';

type HostFn = (...args: unknown[]) => Promise<unknown>;

/** Builds `tools` for a run's layout; `search` / `describe` are the progressive-disclosure helpers. */
export function buildTools(layout: ToolLayout, callTool: (index: number, input: unknown) => Promise<unknown>, searchTools: HostFn, describeTool: HostFn): Record<string, unknown> {
  const toolsObject = create(null) as Record<string, unknown>;
  for (const [serverIdent, list, info] of layout) {
    const server = create(null) as Record<string, unknown>;
    for (const [toolIdent, index] of list) {
      defineProperty(server, toolIdent, { value: (input?: unknown) => callTool(index, input), enumerable: true });
    }
    defineProperty(toolsObject, serverIdent, { value: serverObject(freeze(server), serverIdent, info), enumerable: true });
  }
  // Progressive disclosure: non-enumerable, and a server whose identifier is `search` or
  // `describe` shadows them (toolweaver.search / toolweaver.describe always work).
  if (!('search' in toolsObject)) defineProperty(toolsObject, 'search', { value: searchTools, enumerable: false });
  if (!('describe' in toolsObject)) defineProperty(toolsObject, 'describe', { value: describeTool, enumerable: false });
  return toolsProxy(freeze(toolsObject));
}

/** `tools`: a server name that is not in the catalog reads as a server whose every tool rejects
 *  with a ToolError naming it (and the closest server), instead of `undefined` and "cannot read
 *  property". `in` and Object.keys stay exact, so `'github' in tools` probes an optional server. */
function toolsProxy(toolsObject: Record<string, unknown>): Record<string, unknown> {
  return new ProxyCtor(toolsObject, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'then' || key === 'toJSON') return target[key as string];
      return new ProxyCtor(freeze(create(null)) as Record<string, unknown>, {
        get(_t, tool) {
          if (typeof tool !== 'string' || tool === 'then' || tool === 'toJSON') return undefined;
          return (): Promise<never> => rejected(missingServer(target, key, tool));
        },
      });
    },
  });
}

function missingServer(toolsObject: Record<string, unknown>, ident: string, tool: string): Error {
  const shownServer = ident.length > 100 ? `${ident.slice(0, 100)}…` : ident;
  const shownTool = tool.length > 100 ? `${tool.slice(0, 100)}…` : tool;
  const known = keysOf(toolsObject);
  const near = closestNames(ident, known, 1)[0];
  const hint = near !== undefined ? ` Did you mean tools.${near}?` : known.length ? ` Servers: ${apply(arrayJoin, known.slice(0, 20), [', '])}${known.length > 20 ? ', …' : ''}.` : ' The catalog has no servers: configure one in .vscode/mcp.json.';
  const err = new ToolError({ code: 'unknown_tool', message: `No server "${shownServer}" is in the catalog, so tools.${shownServer}.${shownTool} cannot be called.${hint}`, server: ident, tool });
  const line = callerLine();
  if (line !== null) err.stack = `    at tools.${shownServer}.${shownTool} (script.ts:${line})\n`;
  return err;
}

/** A server's tools; any other name reads as a tool that rejects with a ToolError naming the
 *  server and the tool (the server's error when it is down, the closest name when one is near),
 *  instead of `undefined` and "not a function". `in`, Object.keys and `then` stay exact. */
function serverObject(server: Record<string, unknown>, ident: string, info: ServerLayoutInfo | undefined): Record<string, unknown> {
  return new ProxyCtor(server, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'then' || key === 'toJSON') return target[key as string];
      return (): Promise<never> => rejected(missingTool(target, ident, info, key));
    },
  });
}

function missingTool(server: Record<string, unknown>, ident: string, info: ServerLayoutInfo | undefined, key: string): Error {
  const name = info?.name ?? ident;
  const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
  let err: ToolError;
  if (info?.down !== undefined) {
    err = new ToolError({
      code: 'server_unreachable',
      message: `The server "${name}" is not connected, so tools.${ident}.${shown} cannot be called: ${info.down}. Fix the server (its command, URL or log), then reload the catalog.`,
      server: name,
      tool: key,
    });
  } else {
    const known = keysOf(server);
    const near = closestNames(key, known, 1)[0];
    const hint = near !== undefined ? ` Did you mean tools.${ident}.${near}?` : known.length ? ` Its tools: ${apply(arrayJoin, known.slice(0, 20), [', '])}${known.length > 20 ? ', …' : ''}.` : ' It has no tools.';
    err = new ToolError({ code: 'unknown_tool', message: `The server "${name}" has no tool tools.${ident}.${shown}.${hint}`, server: name, tool: key });
  }
  const line = callerLine();
  if (line !== null) err.stack = `    at tools.${ident}.${shown} (script.ts:${line})\n`;
  return err;
}

