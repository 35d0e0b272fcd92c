// Argument validation of tool calls against each tool's inputSchema (ajv), compiled once per tool
// and cached with the tool table. Invariant: a schema our validator cannot compile never blocks a
// call (the server still validates); a failed check names the offending field.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileSchema, errorPath } from '../../catalog/schemaCheck';
import type { JsonSchema } from '../../catalog/types';

/** A compiled check: undefined when valid, else the dotted field and a sentence. */
export type ArgsCheck = (args: unknown) => { field: string; message: string } | undefined;

/** Compiles `schema`; returns a check that accepts everything when the schema does not compile. */
export function compileArgsCheck(schema: JsonSchema, onCompileError?: (message: string) => void): ArgsCheck {
  let validate: ValidateFunction;
  try {
    validate = compileSchema(schema);
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
  const path = errorPath(e);
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
