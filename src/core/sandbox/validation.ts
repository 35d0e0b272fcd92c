// Argument validation of tool calls against each tool's inputSchema (ajv), compiled once per tool
// and cached with the tool table. Invariant: a schema our validator cannot compile never blocks a
// call (the server still validates); a failed check names the offending field.

import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../catalog/types';

const options = { strict: false, allErrors: false, validateFormats: false, allowUnionTypes: true } as const;
let draft7: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** A compiled check: undefined when valid, else the dotted field and a sentence. */
export type ArgsCheck = (args: unknown) => { field: string; message: string } | undefined;

/** Compiles `schema`; returns a check that accepts everything when the schema does not compile. */
export function compileArgsCheck(schema: JsonSchema, onCompileError?: (message: string) => void): ArgsCheck {
  let validate: ValidateFunction;
  try {
    const uri = typeof schema.$schema === 'string' ? schema.$schema : '';
    if (/2019-09|2020-12/.test(uri)) {
      draft2020 ??= new Ajv2020(options);
      validate = draft2020.compile(schema);
    } else {
      draft7 ??= new Ajv(options);
      const { $schema: _ignored, ...rest } = schema;
      validate = draft7.compile(rest);
    }
  } catch (err) {
    onCompileError?.(err instanceof Error ? err.message : String(err));
    return () => undefined;
  }
  return (args) => {
    if (validate(args)) return undefined;
    return describeAjvError(validate.errors?.[0]);
  };
}

function describeAjvError(e: ErrorObject | undefined): { field: string; message: string } {
  if (!e) return { field: '', message: 'the arguments do not match the tool\'s input schema' };
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    const field = [...path, params.missingProperty].join('.');
    return { field, message: `${field} is required` };
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const field = [...path, params.additionalProperty].join('.');
    return { field, message: `${field} is not an accepted argument` };
  }
  const field = path.join('.');
  return { field, message: `${field || 'the arguments'} ${e.message ?? 'is invalid'}` };
}
