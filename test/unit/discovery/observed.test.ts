import { describe, expect, it } from 'vitest';
import { observedFactor, observedLine, type ObservedTool, type ToolFigures } from '../../../src/core/discovery/observed';
import { describeTool, searchTools } from '../../../src/core/discovery/toolSearch';
import type { Catalog } from '../../../src/core/catalog/types';

const obs = (o: Partial<ObservedTool>): ObservedTool => ({ calls: 10, uncached: 10, failed: 0, p50Ms: 0, p95Ms: 0, cacheHitRate: 0, runs: 1, ...o });
const figures = (m: Record<string, ObservedTool>): ToolFigures => ({ get: (s, t) => m[`${s}/${t}`] });

describe('observedLine', () => {
  it('says calls, latency, failure rate, tokens per result and cache hits in one line', () => {
    expect(observedLine(obs({ calls: 41, uncached: 41, failed: 3, p50Ms: 120, p95Ms: 1840, resultTokens: 2100 }))).toBe(
      'observed: 41 calls, p50 120 ms, p95 1.8 s, 7 % failed, ~2.1k tokens per result',
    );
    expect(observedLine(obs({ calls: 1, uncached: 0, cacheHitRate: 1, resultBytes: 300 }))).toBe('observed: 1 call, 0 % failed, ~300 B per result, 100 % from cache');
  });
});

describe('observedFactor (docs/tool-search.md)', () => {
  it('is 1 for a tool never observed or only answered from the cache', () => {
    expect(observedFactor(undefined)).toBe(1);
    expect(observedFactor(obs({ uncached: 0 }))).toBe(1);
  });

  it('follows the formula: reliability · (1 − c · (0.1 · latency + 0.1 · tokens)), c = n / (n + 3)', () => {
    // 9 calls: c = 0.75; 1/3 failed → reliability 1 − 0.5 · 1/3 · 0.75 = 0.875; p50 900 ms → log10(10)/2 = 0.5;
    // 4,500 tokens → log10(10)/2 = 0.5; cost 1 − 0.75 · (0.05 + 0.05) = 0.925.
    expect(observedFactor(obs({ uncached: 9, calls: 9, failed: 3, p50Ms: 900, resultTokens: 4500 }))).toBeCloseTo(0.875 * 0.925, 10);
    // A tool that always fails, over many calls, keeps just over half its relevance; the caps hold.
    expect(observedFactor(obs({ uncached: 1000, calls: 1000, failed: 1000, p50Ms: 1e9, resultTokens: 1e9 }))).toBeCloseTo((1 - 0.5 * (1000 / 1003)) * (1 - (1000 / 1003) * 0.2), 10);
  });

  it('trusts few calls less: one failure of one call costs less than 10 of 10', () => {
    expect(observedFactor(obs({ uncached: 1, calls: 1, failed: 1 }))).toBeGreaterThan(observedFactor(obs({ failed: 10 })));
  });
});

const catalog: Catalog = {
  id: 'observed-test',
  servers: [
    {
      name: 'east', ident: 'east', source: 'demo', status: { state: 'connected' },
      tools: [
        { name: 'fetch_weather', ident: 'fetchWeather', description: 'Current weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    },
    {
      name: 'west', ident: 'west', source: 'demo', status: { state: 'connected' },
      tools: [
        { name: 'fetch_weather', ident: 'fetchWeather', description: 'Current weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'list_cities', ident: 'listCities', description: 'Every city with a weather station.', inputSchema: { type: 'object', properties: {} } },
      ],
    },
  ],
};

describe('searchTools with observed figures', () => {
  it('without figures, equal relevance keeps catalog order', () => {
    expect(searchTools(catalog, 'weather city').slice(0, 2).map((h) => h.ident)).toEqual(['east.fetchWeather', 'west.fetchWeather']);
  });

  it('ranks the reliable, cheaper one of two equally relevant tools first and returns the figures', () => {
    const seen = figures({ 'east/fetch_weather': obs({ failed: 4, p50Ms: 2000 }), 'west/fetch_weather': obs({ p50Ms: 80 }) });
    const hits = searchTools(catalog, 'weather city', { observed: seen });
    const [b, a] = [hits.find((h) => h.ident === 'west.fetchWeather'), hits.find((h) => h.ident === 'east.fetchWeather')];
    expect(hits[0]).toBe(b);
    expect(hits.indexOf(a as never)).toBeGreaterThan(0);
    expect(a?.relevance).toBe(b?.relevance);
    expect(a?.score).toBeCloseTo((a?.relevance ?? 0) * observedFactor(seen.get('east', 'fetch_weather')), 2);
    expect(a?.observed).toMatchObject({ failed: 4, p50Ms: 2000 });
    expect(hits.find((h) => h.ident === 'west.listCities')?.observed).toBeUndefined();
  });

  it('does not let figures overturn a clearly better text match', () => {
    const seen = figures({ 'west/list_cities': obs({ p50Ms: 1 }), 'east/fetch_weather': obs({ failed: 10, p50Ms: 5000, resultTokens: 50_000 }), 'west/fetch_weather': obs({ failed: 10, p50Ms: 5000 }) });
    expect(searchTools(catalog, 'east.fetch_weather', { observed: seen })[0]?.ident).toBe('east.fetchWeather');
  });

  it('describeTool adds the observed line', () => {
    const seen = figures({ 'west/list_cities': obs({ calls: 2, uncached: 2, p50Ms: 12, p95Ms: 30 }) });
    expect(describeTool(catalog, 'west.list_cities', 'compact', seen).split('\n').at(-1)).toBe('// observed: 2 calls, p50 12 ms, p95 30 ms, 0 % failed');
    expect(describeTool(catalog, 'west.list_cities', 'compact')).not.toContain('observed');
  });
});
