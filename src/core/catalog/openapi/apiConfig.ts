// The configuration of one OpenAPI catalog source (an `openapi` entry of the catalog config, the
// `toolweaver.catalog.openapi` setting, `--openapi NAME=SPEC`): its raw shape and the parsed value.
// Invariant: a parsed config holds resolved values only (no `${…}` left); its auth values are secrets.
import { z } from 'zod';
import type { ServerSettings } from '../types';

/** How the host authenticates every request to the API. The sandbox never sees these values. */
export type OpenApiAuth =
  | { type: 'bearer'; token: string }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'basic'; username: string; password: string };

/** One API after variable substitution. */
export interface OpenApiConfig {
  type: 'openapi';
  /** An absolute file path or an http(s) URL of the OpenAPI document (JSON or YAML). */
  spec: string;
  /** Overrides the document's first `servers` entry. */
  baseUrl?: string;
  /** Extra headers sent with every request (values may be secrets). */
  headers: Record<string, string>;
  auth?: OpenApiAuth;
  /** The entry's `toolweaver` settings (per-call timeout, reply cap, throttling). */
  settings?: ServerSettings;
}

const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1, 'must be a non-empty string') }),
  z.strictObject({ type: z.literal('apiKey'), in: z.enum(['header', 'query']).default('header'), name: z.string().min(1, 'must be a non-empty string'), value: z.string().min(1, 'must be a non-empty string') }),
  z.strictObject({ type: z.literal('basic'), username: z.string(), password: z.string() }),
]);

/** The raw entry as written; `toolweaver` is checked by config.ts with the MCP servers' settings schema. */
export const OpenApiEntrySchema = z.strictObject({
  type: z.literal('openapi').optional(),
  spec: z.string().min(1, 'must be a file path or an http(s) URL of an OpenAPI document'),
  baseUrl: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  auth: AuthSchema.optional(),
  toolweaver: z.unknown().optional(),
});
export type OpenApiEntry = z.infer<typeof OpenApiEntrySchema>;

/** True for `http:` / `https:` URLs (a spec given as a URL is fetched, else it is a file path). */
export function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}
