import { describe, expect, it } from 'vitest';
import { generateToken, sameToken, tokenProblem } from '../../../src/core/mcpServer/httpAccess';

describe('httpAccess tokens', () => {
  it('generates 43-character base64url tokens that differ', () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
    expect(tokenProblem(a)).toBeUndefined();
  });

  it('compares exactly, whatever the lengths', () => {
    const t = 'abcdefghijklmnopqrstuvwxyz';
    expect(sameToken(t, t)).toBe(true);
    expect(sameToken(`${t}x`, t)).toBe(false);
    expect(sameToken(t.slice(0, -1), t)).toBe(false);
    expect(sameToken('', t)).toBe(false);
    expect(sameToken(t.toUpperCase(), t)).toBe(false);
  });

  it('says why a user token is unusable', () => {
    expect(tokenProblem('short')).toMatch(/^it has 5 characters; use at least 16/);
    expect(tokenProblem('sixteen chars ok?')).toMatch(/visible ASCII/);
    expect(tokenProblem('tøken-with-ümlauts-0123')).toMatch(/visible ASCII/);
  });
});
