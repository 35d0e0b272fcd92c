// Seeded random JSON for the preview property tests: odd keys and strings (quotes, controls, emoji,
// lone surrogates), nesting, long strings and long arrays, so cuts land everywhere.
import { mulberry32 } from '../../../src/core/demo/random';

const ODD = ['', ' ', 'a b', '"', '\\', '\n', '$', '[0]', '.x', '«…»', 'é', '😀', '\ud800', 'key', 'id', '0', '12', '__proto__', 'toString'];

export function randomJson(seed: number, maxDepth = 5, maxNodes = 1500): unknown {
  const r = mulberry32(seed);
  let nodes = 0;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const str = (): string => {
    let s = '';
    for (let i = int(0, 20); i > 0; i--) {
      s += r() < 0.8 ? String.fromCharCode(int(32, 126)) : (ODD[int(0, ODD.length - 1)] as string);
    }
    return r() < 0.1 && nodes < maxNodes ? s.repeat(int(10, 150)) : s;
  };
  const gen = (depth: number): unknown => {
    const p = r();
    if (depth >= maxDepth || p < 0.45 || ++nodes > maxNodes) {
      nodes++;
      const q = r();
      if (q < 0.15) return null;
      if (q < 0.3) return r() < 0.5;
      if (q < 0.6) return r() < 0.5 ? int(-1e6, 1e6) : (r() - 0.5) * 10 ** int(-5, 20);
      return str();
    }
    if (p < 0.75) {
      const n = r() < 0.15 ? int(20, 400) : int(0, 6);
      return Array.from({ length: n }, () => gen(depth + 1));
    }
    const n = r() < 0.1 ? int(20, 200) : int(0, 6);
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = r() < 0.3 ? (ODD[int(0, ODD.length - 1)] as string) + String(i % 3) : `k${i}`;
      // defineProperty: a key named __proto__ is an own key, as JSON.parse makes it.
      Object.defineProperty(o, k, { value: gen(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  return gen(0);
}
