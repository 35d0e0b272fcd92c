// Reads `toolweaver.*` settings and validates them at the boundary: out-of-range or malformed values
// fall back to defaults with a warning, never a crash.
import path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ApprovalPolicy } from '../core/approvals/approvals';
import { ApprovalsSettingSchema } from './agents/approvalSettings';
import { effectiveApprovals, effectiveSafeguard, unionList, userOnly } from './agents/securitySettings';
import { DEFAULT_LIMITS, type RunLimits } from '../core/sandbox/types';
import { OPTIONAL_FIREWALL_CATEGORIES } from '../core/firewall/categories';
import { DEFAULT_MODEL, parsePriceTable, resolvePricing, type Pricing } from '../core/account/prices';

const int = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).catch(fallback);

/** Scripts the extension runs at once (the user's and models'); the rest queue fairly. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;

const SettingsSchema = z.object({
  catalog: z.object({
    servers: z.record(z.string(), z.unknown()).catch({}),
    // OpenAPI sources by name; each entry is checked by core (config.ts parseOpenApiSources).
    openapi: z.record(z.string(), z.unknown()).catch({}),
    file: z.string().catch(''),
    useDemoWhenEmpty: z.boolean().catch(false),
    includeLanguageModelTools: z.boolean().catch(true),
    // Allow-list of language-model tool sources (extension ids, `mcp:<server>`, `vscode`) and tool names.
    languageModelTools: z.array(z.string()).catch([]),
    connectTimeoutMs: int(500, 120_000, 10_000),
  }),
  stubs: z.object({ folder: z.string().min(1).catch('.toolweaver/stubs'), autoGenerate: z.boolean().catch(true) }),
  // The skills folder, relative to the workspace folder (the CLI's --skills); see skillsDirOf.
  skills: z.object({ folder: z.string().trim().min(1).catch('.toolweaver/skills') }),
  limits: z.object({
    timeoutMs: int(100, 600_000, DEFAULT_LIMITS.timeoutMs),
    memoryMb: int(16, 1024, DEFAULT_LIMITS.memoryMb),
    maxToolCalls: int(1, 100_000, DEFAULT_LIMITS.maxToolCalls),
    maxConcurrency: int(1, 1000, DEFAULT_LIMITS.maxConcurrency),
    toolCallTimeoutMs: int(100, 600_000, DEFAULT_LIMITS.toolCallTimeoutMs),
    // Runs at once (one sandbox worker each); not a RunLimits field (see limitsFrom).
    maxConcurrentRuns: int(1, 16, DEFAULT_MAX_CONCURRENT_RUNS),
  }),
  traces: z.object({
    folder: z.string().min(1).catch('.toolweaver/traces'),
    maxCount: int(1, 100_000, 200),
    maxMegabytes: int(1, 10_000, 100),
    // Checked (and turned into a pusher) by RunService, which can say what is wrong with it.
    otlpEndpoint: z.string().catch(''),
    keepRawTape: z.boolean().catch(true),
  }),
  redaction: z.object({
    enabled: z.boolean().catch(true),
    extraPatterns: z.array(z.string()).catch([]),
    disabledRules: z.array(z.string()).catch([]),
  }),
  // 'secrets' is implied (normalizeCategories adds it); unknown names are dropped.
  firewall: z.object({ categories: z.array(z.string()).catch([...OPTIONAL_FIREWALL_CATEGORIES]) }),
  tokens: z.object({
    tokenizer: z.enum(['o200k_base', 'cl100k_base']).catch('o200k_base'),
    model: z.string().min(1).catch(DEFAULT_MODEL),
    // Checked by pricingFrom, which can say what is wrong with it (then ignores it).
    prices: z.unknown(),
  }),
  typeCheck: z.object({ enabled: z.boolean().catch(true) }),
  approvals: ApprovalsSettingSchema,
  agent: z.object({ maxIterations: int(1, 50, 6), maxTokens: int(1000, 2_000_000, 60_000), confirmRunCode: z.boolean().catch(true) }),
  llm: z.object({
    vendor: z.string().catch(''),
    family: z.string().catch(''),
    maxCalls: int(1, 10_000, 20),
    maxTokens: int(100, 10_000_000, 50_000),
    timeoutMs: int(1000, 600_000, 60_000),
  }),
});

export type Settings = z.infer<typeof SettingsSchema> & { approvalPolicy: ApprovalPolicy };

/** The absolute skills folder of a workspace folder (toolweaver.skills.folder, resolved against it). */
export function skillsDirOf(folder: vscode.Uri): string {
  return path.resolve(folder.fsPath, readSettings(folder).skills.folder);
}

/** The current settings for `scope` (a workspace folder), validated. */
export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('toolweaver', scope);
  // Security settings: a workspace can only tighten them (see securitySettings.ts).
  const approvals = effectiveApprovals(c.inspect('approvals'));
  const raw = {
    catalog: {
      servers: c.get('catalog.servers'),
      openapi: c.get('catalog.openapi'),
      file: c.get('catalog.file'),
      useDemoWhenEmpty: c.get('catalog.useDemoWhenEmpty'),
      includeLanguageModelTools: c.get('catalog.includeLanguageModelTools'),
      languageModelTools: c.get('catalog.languageModelTools'),
      connectTimeoutMs: c.get('catalog.connectTimeoutMs'),
    },
    stubs: { folder: c.get('stubs.folder'), autoGenerate: c.get('stubs.autoGenerate') },
    skills: { folder: c.get('skills.folder') },
    limits: {
      timeoutMs: c.get('limits.timeoutMs'),
      memoryMb: c.get('limits.memoryMb'),
      maxToolCalls: c.get('limits.maxToolCalls'),
      maxConcurrency: c.get('limits.maxConcurrency'),
      toolCallTimeoutMs: c.get('limits.toolCallTimeoutMs'),
      maxConcurrentRuns: c.get('limits.maxConcurrentRuns'),
    },
    // Where traces are sent is the user's choice only: a workspace's settings must not ship them elsewhere.
    traces: { folder: c.get('traces.folder'), maxCount: c.get('traces.maxCount'), maxMegabytes: c.get('traces.maxMegabytes'), otlpEndpoint: userOnly(c.inspect('traces.otlpEndpoint')), keepRawTape: c.get('traces.keepRawTape') },
    redaction: {
      enabled: effectiveSafeguard(c.inspect('redaction.enabled')),
      extraPatterns: unionList(c.inspect('redaction.extraPatterns')),
      disabledRules: userOnly(c.inspect('redaction.disabledRules')),
    },
    // A workspace may add categories to the user's list, never remove one (securitySettings.ts).
    firewall: { categories: unionList(c.inspect('firewall.categories')) },
    tokens: { tokenizer: c.get('tokens.tokenizer'), model: c.get('tokens.model'), prices: c.get('tokens.prices') },
    typeCheck: { enabled: c.get('typeCheck.enabled') },
    approvals: approvals.setting,
    agent: {
      maxIterations: c.get('agent.maxIterations'),
      maxTokens: c.get('agent.maxTokens'),
      confirmRunCode: effectiveSafeguard(c.inspect('agent.confirmRunCode')),
    },
    llm: {
      vendor: c.get<{ vendor?: unknown }>('llm.model')?.vendor,
      family: c.get<{ family?: unknown }>('llm.model')?.family,
      maxCalls: c.get('llm.maxCalls'),
      maxTokens: c.get('llm.maxTokens'),
      timeoutMs: c.get('llm.timeoutMs'),
    },
  };
  return { ...SettingsSchema.parse(raw), approvalPolicy: approvals.policy };
}

/** Run limits from settings, over the engine's defaults; a caller's timeout may only lower the setting's. */
export function limitsFrom(settings: Settings, timeoutMs?: number): Partial<RunLimits> {
  const { maxConcurrentRuns: _slots, ...runLimits } = settings.limits;
  const limits: Partial<RunLimits> = { ...runLimits };
  if (timeoutMs !== undefined && timeoutMs > 0) limits.timeoutMs = Math.min(timeoutMs, settings.limits.timeoutMs);
  return limits;
}

/** The approval policy of `toolweaver.approvals` (the user's, tightened by the workspace's). */
export function approvalPolicyFrom(settings: Settings): ApprovalPolicy {
  return settings.approvalPolicy;
}

/**
 * The model and prices of the account's dollar figures (`toolweaver.tokens.model` and
 * `toolweaver.tokens.prices` over the defaults). A bad table or an unknown model falls back to the
 * default model at the default prices, with the problem in `problem` for the log.
 */
export function pricingFrom(settings: Settings): { pricing: Pricing; problem?: string } {
  try {
    const raw = settings.tokens.prices;
    const table = raw === undefined || raw === null ? {} : parsePriceTable(raw, 'the setting toolweaver.tokens.prices');
    return { pricing: resolvePricing(settings.tokens.model, table) };
  } catch (err) {
    return { pricing: resolvePricing(undefined), problem: `${err instanceof Error ? err.message : String(err)} Using ${DEFAULT_MODEL} at the default prices.` };
  }
}
