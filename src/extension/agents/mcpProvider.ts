// Registers `toolweaver mcp` with VS Code's own MCP support (an MCP server definition provider), so
// Copilot and other MCP clients in VS Code can use ToolWeaver. It runs the bundled CLI on the
// extension host's runtime (ELECTRON_RUN_AS_NODE), with the workspace's mcp.json minus ToolWeaver
// itself (a server that lists itself would spawn itself forever) and the approval settings as
// policy files. It speaks stdio, so the HTTP token and Origin checks of `mcp --http` do not apply.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogService } from '../catalogService';
import { readSettings, skillsDirOf, type Settings } from '../settings';
import { withoutOwnServers } from './ownTools';
import { policyDocuments } from '../../core/approvals/approvalSchema';

/** Keep in sync with contributes.mcpServerDefinitionProviders in package.json. */
export const MCP_PROVIDER_ID = 'toolweaver.mcpServer';

/**
 * CLI flags for the approval policy: the effective `toolweaver.approvals` (the user's policy, then
 * each workspace policy that can only tighten it) as `--policy` files in `dir`, so `toolweaver mcp`
 * decides every call exactly as VS Code does: 'ask' goes to VS Code through elicitation, and a
 * client that cannot answer gets a denial. Nothing is allowed that the setting does not allow.
 */
export function approvalFlags(settings: Settings, dir: string, key: string): string[] {
  const flags: string[] = [];
  policyDocuments(settings.approvalPolicy, settings.approvals.timeoutSeconds).forEach((doc, i) => {
    const file = path.join(dir, `approvals-${key}-${i}.json`);
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    flags.push('--policy', file);
  });
  return flags;
}

/** Builds the server definition for the current workspace; undefined when there is none or it is untrusted. */
export function toolWeaverServerDefinition(context: vscode.ExtensionContext, catalog: CatalogService, log: vscode.LogOutputChannel): vscode.McpStdioServerDefinition | undefined {
  const folder = catalog.folder;
  if (!folder || !vscode.workspace.isTrusted) return undefined;
  const settings = readSettings(folder.uri);
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const args = [cli, 'mcp'];
  const dir = context.globalStorageUri.fsPath;
  const key = createHash('sha256').update(folder.uri.fsPath).digest('hex').slice(0, 12);
  const mcpJson = path.join(folder.uri.fsPath, '.vscode', 'mcp.json');
  if (existsSync(mcpJson)) {
    const filtered = withoutOwnServers(readFileSync(mcpJson, 'utf8'));
    if (filtered) {
      mkdirSync(dir, { recursive: true });
      const copy = path.join(dir, `mcp-${key}.json`);
      writeFileSync(copy, filtered.text);
      log.info(`MCP server definition: left out ToolWeaver's own server(s) ${filtered.dropped.join(', ')} from mcp.json (they would start themselves again).`);
      args.push('--config', copy);
    } else {
      args.push('--config', mcpJson);
    }
  } else if (settings.catalog.file) {
    args.push('--catalog', path.resolve(folder.uri.fsPath, settings.catalog.file));
  }
  mkdirSync(dir, { recursive: true });
  args.push('--trace-dir', path.resolve(folder.uri.fsPath, settings.traces.folder), ...approvalFlags(settings, dir, key));
  if (!settings.typeCheck.enabled) args.push('--no-typecheck');
  const version = (context.extension.packageJSON as { version?: string }).version;
  // `toolweaver mcp` serves each skill as a tool (skill_<name>): a new version when the skill files
  // change makes VS Code list the tools again (docs/skills.md: skills cannot be LM tools of their own).
  const skillsDir = skillsDirOf(folder.uri);
  args.push('--skills', skillsDir);
  const skills = skillsFingerprint(skillsDir);
  const def = new vscode.McpStdioServerDefinition('ToolWeaver', process.execPath, args, { ELECTRON_RUN_AS_NODE: '1' }, skills ? `${version ?? '0'}+skills.${skills}` : version);
  def.cwd = folder.uri;
  return def;
}

/** A short hash of the skill files' names, sizes and times; '' without any. */
function skillsFingerprint(dir: string): string {
  try {
    const files = readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).sort();
    if (!files.length) return '';
    const h = createHash('sha256');
    for (const f of files) {
      const st = statSync(path.join(dir, f));
      h.update(`${f}:${st.size}:${st.mtimeMs};`);
    }
    return h.digest('hex').slice(0, 8);
  } catch {
    return '';
  }
}

/** Registers the provider when this VS Code supports it (1.101+). */
export function registerMcpProvider(context: vscode.ExtensionContext, catalog: CatalogService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  if (typeof vscode.lm.registerMcpServerDefinitionProvider !== 'function') return [];
  const changed = new vscode.EventEmitter<void>();
  // The skill files of the current toolweaver.skills.folder; watched again when the setting changes.
  let skillFiles: vscode.Disposable | undefined;
  const watchSkills = (): void => {
    skillFiles?.dispose();
    const folder = catalog.folder;
    if (!folder) return void (skillFiles = undefined);
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(skillsDirOf(folder.uri)), '*.{ts,js}'));
    const subs = [w.onDidChange(() => changed.fire()), w.onDidCreate(() => changed.fire()), w.onDidDelete(() => changed.fire())];
    skillFiles = { dispose: () => [...subs, w].forEach((d) => d.dispose()) };
  };
  watchSkills();
  const provider: vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const def = toolWeaverServerDefinition(context, catalog, log);
      return def ? [def] : [];
    },
  };
  return [
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('toolweaver.skills.folder')) watchSkills();
      if (e.affectsConfiguration('toolweaver')) changed.fire();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    { dispose: () => skillFiles?.dispose() },
  ];
}
