// Reads `toolweaver.*` settings and validates them at the boundary: out-of-range or malformed values
// fall back to defaults with a warning, never a crash.
import * as vscode from 'vscode';
import { z } from 'zod';
import { DEFAULT_LIMITS, type RunLimits } from '../core/sandbox/types';

const int = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).catch(fallback);

const SettingsSchema = z.object({
  catalog: z.object({
    servers: z.record(z.string(), z.unknown()).catch({}),
    file: z.string().catch(''),
    useDemoWhenEmpty: z.boolean().catch(false),
    includeLanguageModelTools: z.boolean().catch(true),
    connectTimeoutMs: int(500, 120_000, 10_000),
  }),
  stubs: z.object({ folder: z.string().min(1).catch('.toolweaver/stubs'), autoGenerate: z.boolean().catch(true) }),
  limits: z.object({
    timeoutMs: int(100, 600_000, DEFAULT_LIMITS.timeoutMs),
    memoryMb: int(8, 1024, DEFAULT_LIMITS.memoryMb),
    maxToolCalls: int(1, 100_000, DEFAULT_LIMITS.maxToolCalls),
    maxConcurrency: int(1, 1000, DEFAULT_LIMITS.maxConcurrency),
    toolCallTimeoutMs: int(100, 600_000, DEFAULT_LIMITS.toolCallTimeoutMs),
  }),
  traces: z.object({
    folder: z.string().min(1).catch('.toolweaver/traces'),
    maxCount: int(1, 100_000, 200),
    maxMegabytes: int(1, 10_000, 100),
  }),
  redaction: z.object({
    enabled: z.boolean().catch(true),
    extraPatterns: z.array(z.string()).catch([]),
    disabledRules: z.array(z.string()).catch([]),
  }),
  tokens: z.object({ tokenizer: z.enum(['o200k_base', 'cl100k_base']).catch('o200k_base') }),
});

export type Settings = z.infer<typeof SettingsSchema>;

/** The current settings for `scope` (a workspace folder), validated. */
export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('toolweaver', scope);
  const raw = {
    catalog: {
      servers: c.get('catalog.servers'),
      file: c.get('catalog.file'),
      useDemoWhenEmpty: c.get('catalog.useDemoWhenEmpty'),
      includeLanguageModelTools: c.get('catalog.includeLanguageModelTools'),
      connectTimeoutMs: c.get('catalog.connectTimeoutMs'),
    },
    stubs: { folder: c.get('stubs.folder'), autoGenerate: c.get('stubs.autoGenerate') },
    limits: {
      timeoutMs: c.get('limits.timeoutMs'),
      memoryMb: c.get('limits.memoryMb'),
      maxToolCalls: c.get('limits.maxToolCalls'),
      maxConcurrency: c.get('limits.maxConcurrency'),
      toolCallTimeoutMs: c.get('limits.toolCallTimeoutMs'),
    },
    traces: { folder: c.get('traces.folder'), maxCount: c.get('traces.maxCount'), maxMegabytes: c.get('traces.maxMegabytes') },
    redaction: {
      enabled: c.get('redaction.enabled'),
      extraPatterns: c.get('redaction.extraPatterns'),
      disabledRules: c.get('redaction.disabledRules'),
    },
    tokens: { tokenizer: c.get('tokens.tokenizer') },
  };
  return SettingsSchema.parse(raw);
}

/** Run limits from settings, over the engine's defaults. */
export function limitsFrom(settings: Settings): Partial<RunLimits> {
  return { ...settings.limits };
}
