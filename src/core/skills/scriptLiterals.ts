// The literals of a script a person may turn into skill parameters (Save Run as Skill…): strings,
// numbers and booleans, each with the field name it suggests (the key before it, e.g. `region:`).
// Invariant: each literal text is listed once, in the order it first appears.

/** One literal a Save Run as Skill picker offers. */
export interface ScriptLiteral {
  /** As written in the script: `'emea'`, `10`, `true`. */
  text: string;
  /** A field name it suggests (the object key or variable before it), else `param<N>`. */
  suggested: string;
  /** 1-based line of its first occurrence. */
  line: number;
}

const LITERAL = /(['"])(?:(?!\1)[^\\\n]|\\.)*\1|(?<![\w.$])-?\d+(?:\.\d+)?(?![\w.])|\b(?:true|false)\b/g;

/** The literals of `source`, at most `max`. Comments are skipped line by line (`//` only). */
export function scriptLiterals(source: string, max = 40): ScriptLiteral[] {
  const out: ScriptLiteral[] = [];
  const seen = new Set<string>();
  const lines = source.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|[^:'"])\/\/.*$/, '$1');
    for (const m of line.matchAll(LITERAL)) {
      const text = m[0];
      if (seen.has(text) || out.length >= max) continue;
      seen.add(text);
      const before = line.slice(0, m.index);
      const key = /([A-Za-z_$][\w$]*)\s*[:=]\s*\[?\s*$/.exec(before)?.[1];
      out.push({ text, suggested: key && key !== 'const' && key !== 'let' ? key : `param${out.length + 1}`, line: i + 1 });
    }
  });
  return out;
}
