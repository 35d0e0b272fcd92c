// JSON helpers of the bridge: a canonical form for cache keys and a nesting check so that no value
// the host sends can overflow the guest's parser. Invariant: both are iterative (no recursion on
// untrusted depth).

/** Deepest nesting of arrays/objects in a JSON text (strings are skipped correctly). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) max = depth;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}

/**
 * Nesting the guest can parse with `stackKb` of stack, with margin (measured: QuickJS's JSON.parse
 * uses ~0.25 KiB of its stack per level; values often get stringified again, which costs more).
 */
export function maxJsonDepth(stackKb: number): number {
  return Math.max(16, Math.floor(stackKb / 2));
}

/** JSON with object keys sorted at every level: equal data gives equal text. Iterative. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const item = stack.pop();
    if (item instanceof Marker) {
      out.push(item.text);
      continue;
    }
    if (Array.isArray(item)) {
      out.push('[');
      stack.push(new Marker(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Marker(','));
      }
    } else if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item).sort();
      out.push('{');
      stack.push(new Marker('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push((item as Record<string, unknown>)[k]);
        stack.push(new Marker(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`));
      }
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

class Marker {
  constructor(readonly text: string) {}
}
