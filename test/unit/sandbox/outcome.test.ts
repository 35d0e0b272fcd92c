import { describe, expect, it } from 'vitest';
import { classifyThrown, stopError } from '../../../src/core/sandbox/outcome';
import { DEFAULT_LIMITS } from '../../../src/core/sandbox/types';

const limits = DEFAULT_LIMITS;
const no = () => false;
const yes = () => true;

describe('classifyThrown', () => {
  it('keeps the script line and drops prelude frames', () => {
    const r = classifyThrown({ type: 'object', name: 'TypeError', message: 'x is undefined', stack: '    at f (script.ts:4:7)\n    at g (prelude.js:1:99)\n' }, no, limits);
    expect(r).toEqual({ ok: false, error: { name: 'TypeError', code: 'guest_error', message: 'x is undefined', line: 4, column: 7, stack: '    at f (script.ts:4:7)\n' } });
  });
  it('reports tool errors with server, tool and cause', () => {
    const r = classifyThrown({ type: 'object', tool: true, name: 'ToolError', message: 'm', code: 'timeout', server: 's', toolName: 't', stack: '    at tools.s.t (script.ts:2)\n' }, no, limits);
    expect(r).toMatchObject({ ok: false, error: { code: 'tool_error', server: 's', tool: 't', cause: 'timeout', line: 2 } });
  });
  it('recognises the engine\'s memory and stack errors', () => {
    expect(classifyThrown({ type: 'object', name: 'InternalError', message: 'out of memory' }, no, limits)).toMatchObject({ error: { code: 'out_of_memory' }, limitHit: 'memoryMb' });
    expect(classifyThrown({ type: 'object', name: 'InternalError', message: 'stack overflow' }, no, limits)).toMatchObject({ error: { code: 'stack_overflow' }, limitHit: 'stackKb' });
    expect(classifyThrown({ type: 'object', name: 'SyntaxError', message: 'stack overflow' }, no, limits)).toMatchObject({ error: { code: 'stack_overflow' } });
  });
  it('treats a thrown null as out of memory only when the heap was exhausted', () => {
    expect(classifyThrown({ type: 'null' }, yes, limits)).toMatchObject({ error: { code: 'out_of_memory' } });
    expect(classifyThrown({ type: 'null' }, no, limits)).toMatchObject({ error: { code: 'guest_error', message: 'The script threw null.' } });
    expect(classifyThrown(undefined, yes, limits)).toMatchObject({ error: { code: 'out_of_memory' } });
    expect(classifyThrown(undefined, no, limits)).toMatchObject({ error: { code: 'guest_error' } });
  });
  it('describes thrown primitives', () => {
    expect(classifyThrown({ type: 'string', message: 'boom' }, no, limits)).toMatchObject({ error: { code: 'guest_error', message: 'The script threw a string: boom' } });
  });
});

describe('stopError', () => {
  it('names the limit that ended the run', () => {
    expect(stopError('timeout', { ...limits, timeoutMs: 1234 })).toMatchObject({ limitHit: 'timeoutMs', error: { code: 'timeout', message: expect.stringContaining('1234 ms') } });
    expect(stopError('quota', limits)).toMatchObject({ limitHit: 'maxToolCalls', error: { code: 'quota_exceeded' } });
    expect(stopError('sleeps', { ...limits, maxPendingSleeps: 77 })).toMatchObject({ limitHit: 'maxPendingSleeps', error: { code: 'quota_exceeded', message: expect.stringContaining('more than 77 sleep() calls') } });
    expect(stopError('never_settles', limits)).toMatchObject({ error: { code: 'never_settles' } });
    expect(stopError('cancelled', limits)).toMatchObject({ error: { code: 'cancelled' } });
  });
});
