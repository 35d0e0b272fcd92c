// JSON Schema checks with ajv, shared by argument validation (sandbox/host/validation.ts) and result
// validation against a tool's outputSchema. Invariant: a schema ajv cannot compile never blocks
// anything (the check accepts and the caller is told once); a failed check names the field.
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from './types';

const options = { strict: false, allErrors: false, validateFormats: false, allowUnionTypes: true } as const;
let draft7: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** Compiles `schema` with the draft its `$schema` names (2019-09/2020-12, else draft 7). Throws when it does not compile. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const uri = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/2019-09|2020-12/.test(uri)) {
    draft2020 ??= new Ajv2020(options);
    return draft2020.compile(schema);
  }
  draft7 ??= new Ajv(options);
  const { $schema: _ignored, ...rest } = schema;
  return draft7.compile(rest);
}

/** The dotted path of an ajv error (`a.b.0`), with `~1`/`~0` unescaped. */
export function errorPath(e: ErrorObject): string[] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Compiled outputSchemas, per schema object (a catalog's tools keep theirs for its lifetime). */
const outputChecks = new WeakMap<JsonSchema, ValidateFunction | null>();

/**
 * Checks a tools/call result's structuredContent against the tool's outputSchema: undefined when
 * it conforms (or the schema does not compile), else the field (under `structuredContent`) and a
 * sentence.
 */
export function checkOutput(schema: JsonSchema, structured: unknown, onCompileError?: (message: string) => void): { field: string; message: string } | undefined {
  let validate = outputChecks.get(schema);
  if (validate === undefined) {
    try {
      validate = compileSchema(schema);
    } catch (err) {
      onCompileError?.(err instanceof Error ? err.message : String(err));
      validate = null;
    }
    outputChecks.set(schema, validate);
  }
  if (validate === null) return undefined;
  if (structured === undefined) return { field: 'structuredContent', message: 'the tool declares an outputSchema but the result has no structuredContent' };
  if (validate(structured)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return { field: 'structuredContent', message: 'structuredContent does not match the schema' };
  const params = e.params as Record<string, unknown>;
  const extra = e.keyword === 'required' && typeof params.missingProperty === 'string' ? [params.missingProperty] : [];
  const field = ['structuredContent', ...errorPath(e), ...extra].join('.');
  return { field, message: e.keyword === 'required' ? `${field} is required` : `${field} ${e.message ?? 'is invalid'}` };
}
