// Keeps the window's tool catalog: every folder's .vscode/mcp.json, the .code-workspace file's
// `settings.mcp` and the user profile's mcp.json (VS Code's precedence, all watched), the
// toolweaver.catalog.* settings, the language-model tools the user allowed, or the demo. Refreshes
// are serialized (the newest wins) and close the previous servers; nothing is spawned in an
// untrusted workspace, and a catalog counts as chosen only when the user configured or picked it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { mcpConfigSources, userMcpJsonPath, type McpConfigSource } from '../core/catalog/configSources';
import { parseJsonc } from '../core/catalog/jsonc';
import { loadCatalog } from '../core/catalog/loadCatalog';
import type { LmToolSource } from '../core/catalog/lmToolSources';
import type { Catalog, ConfigSecrets } from '../core/catalog/types';
import { describeCause } from '../core/errors';
import { applyLearnedTypes, loadTypesFiles } from '../core/learned/learnTypes';
import type { TypesFile } from '../core/learned/typesFile';
import type { ToolInvoker } from '../core/ports';
import { mergeCatalogs, type CatalogPart, type CatalogSource, type MergedCatalog } from '../core/workspace/mergeCatalogs';
import { secretInputProvider } from './inputs';
import { lmToolSelection, lmToolsParts } from './lmToolsSource';
import { channelLogger } from './logger';
import { readSettings } from './settings';

export type CatalogState = 'loading' | 'ready' | 'empty' | 'untrusted' | 'error';

const DEMO_KEY = 'toolweaver.useDemo';

function isBuiltinExtension(id: string): boolean {
  const ext = vscode.extensions.getExtension(id);
  return (ext?.packageJSON as { isBuiltin?: boolean } | undefined)?.isBuiltin === true || id.startsWith('vscode.');
}
const EMPTY: Catalog = { id: 'empty', servers: [] };

export class CatalogService implements vscode.Disposable {
  private merged: MergedCatalog | undefined;
  private generation = 0;
  /** Refreshes started and not finished yet (counted synchronously, so a run right after refresh() waits). */
  private inFlight = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private folderWatchers: vscode.Disposable[] = [];
  private pending: Promise<void> | undefined;
  state: CatalogState = 'loading';
  /** Configuration problems of the last refresh, one sentence each. */
  problems: string[] = [];
  /** Language-model tool sources VS Code lists that the user has not allowed (see chooseToolSources). */
  offeredLmSources: LmToolSource[] = [];
  /** The mcp.json-shaped configurations read by the last refresh, most specific first. */
  configSources: McpConfigSource[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const onFile = () => void this.refresh();
    this.watchFolders(onFile);
    const user = this.userMcpJson;
    if (user) {
      // Outside the workspace: a non-recursive watch of the one file.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(user)), path.basename(user)));
      this.disposables.push(watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile));
    }
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchFolders(onFile);
        void this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // `mcp` covers the .code-workspace file's settings.mcp section.
        if (e.affectsConfiguration('toolweaver.catalog') || (vscode.workspace.workspaceFile && e.affectsConfiguration('mcp'))) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
    );
  }

  private watchFolders(onFile: () => void): void {
    for (const d of this.folderWatchers) d.dispose();
    this.folderWatchers = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.vscode/mcp.json'));
      return [watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile)];
    });
  }

  /** The folder that holds scripts, stubs and traces: the first workspace folder. */
  get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** The user profile's mcp.json (the one "MCP: Open User Configuration" opens), when VS Code keeps it on disk here. */
  get userMcpJson(): string | undefined {
    const storage = this.context.globalStorageUri;
    return storage.scheme === 'file' ? userMcpJsonPath(storage.fsPath) : undefined;
  }

  get catalog(): Catalog {
    const base = this.merged?.catalog ?? EMPTY;
    const types = this.outputTypes;
    if (!types) return base;
    // Learned and pinned output types (src/core/learned) type the tools that declare none.
    if (this.typed?.base !== base) this.typed = { base, catalog: applyLearnedTypes(base, types.learned, types.pinned) };
    return this.typed.catalog;
  }

  private outputTypes: { learned: TypesFile; pinned: TypesFile } | undefined;
  private typed: { base: Catalog; catalog: Catalog } | undefined;

  /** Re-reads the workspace's learned and pinned output types; a broken file is logged and ignored. */
  async reloadOutputTypes(): Promise<void> {
    const folder = this.folder;
    this.typed = undefined;
    if (!folder || folder.uri.scheme !== 'file') {
      this.outputTypes = undefined;
      return;
    }
    try {
      this.outputTypes = await loadTypesFiles(folder.uri.fsPath);
    } catch (err) {
      this.outputTypes = undefined;
      this.log.warn(`Output types: ${describeCause(err)}`);
    }
  }

  /** After the types files changed (Accept, Re-infer, Discard): re-read them and tell the listeners. */
  async outputTypesChanged(): Promise<void> {
    await this.reloadOutputTypes();
    this.changed.fire();
  }

  get invoker(): ToolInvoker | undefined {
    return this.merged?.invoker;
  }

  get secrets(): string[] {
    return this.merged?.secrets.values ?? [];
  }

  /** The configured values with their names (for the privacy firewall's `«secret:NAME»`). */
  get configSecrets(): ConfigSecrets {
    return this.merged?.secrets ?? { values: [] };
  }

  /** Where a server of the current catalog comes from (the Tools view shows it). */
  originOf(server: string): CatalogSource | undefined {
    return this.merged?.origins.get(server);
  }

  /** True while a refresh is under way or queued. */
  get isRefreshing(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no refresh is under way (also after refreshes queued meanwhile). */
  async settled(): Promise<void> {
    while (this.inFlight > 0 && this.pending) await this.pending;
  }

  /** Uses the built-in demo server for this workspace from now on (workspace state: the demo writes stubs into this folder only). */
  async useDemo(): Promise<void> {
    await this.context.workspaceState.update(DEMO_KEY, true);
    await this.refresh();
  }

  /** True when the user chose the demo for this workspace (or everywhere, with toolweaver.catalog.useDemoWhenEmpty). */
  get demoChosen(): boolean {
    return readSettings(this.folder?.uri).catalog.useDemoWhenEmpty || this.context.workspaceState.get<boolean>(DEMO_KEY) === true;
  }

  /** Reloads every source. Concurrent calls share one pass; a call during a pass queues another. */
  refresh(): Promise<void> {
    this.inFlight++;
    if (this.state !== 'loading') this.setState('loading');
    const run = async () => {
      const gen = ++this.generation;
      try {
        const { merged, problems } = await this.loadParts();
        if (gen !== this.generation) {
          await merged?.close();
          return;
        }
        const previous = this.merged;
        await this.reloadOutputTypes();
        this.merged = merged;
        this.problems = problems;
        void previous?.close();
      } finally {
        this.inFlight--;
      }
      const servers = this.merged?.catalog.servers.length ?? 0;
      this.setState(!vscode.workspace.isTrusted ? 'untrusted' : servers > 0 ? 'ready' : this.problems.length ? 'error' : 'empty');
    };
    const next = (this.pending ?? Promise.resolve()).then(run, run);
    this.pending = next;
    return next;
  }

  /** The window's mcp.json-shaped configurations, most specific first. */
  private readConfigSources(): McpConfigSource[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, uri: f.uri.toString(), path: f.uri.fsPath }));
    const wsUri = vscode.workspace.workspaceFile;
    let workspaceFile: { path: string; mcp: unknown } | undefined;
    if (wsUri?.scheme === 'file') {
      try {
        const raw = parseJsonc(readFileSync(wsUri.fsPath, 'utf8')) as { settings?: { mcp?: unknown } } | null;
        workspaceFile = { path: wsUri.fsPath, mcp: raw?.settings?.mcp };
      } catch (err) {
        this.log.warn(`Could not read the MCP section of ${wsUri.fsPath}: ${describeCause(err)}`);
      }
    } else if (wsUri) {
      // An untitled workspace lives in VS Code's storage; its settings come through the configuration API.
      workspaceFile = { path: 'the untitled workspace', mcp: vscode.workspace.getConfiguration().inspect('mcp')?.workspaceValue };
    }
    return mcpConfigSources({ folders, workspaceFile, userMcpJson: this.userMcpJson, exists: existsSync });
  }

  private async loadParts(): Promise<{ merged: MergedCatalog | undefined; problems: string[] }> {
    if (!vscode.workspace.isTrusted) {
      this.offeredLmSources = [];
      this.updateOfferContext();
      return { merged: undefined, problems: [] };
    }
    const folder = this.folder;
    const settings = readSettings(folder?.uri);
    const cwd = folder?.uri.fsPath ?? process.cwd();
    const base = { cwd, workspaceFolder: cwd, connectTimeoutMs: settings.catalog.connectTimeoutMs, connectTimeoutHint: 'the setting toolweaver.catalog.connectTimeoutMs', logger: channelLogger(this.log), inputs: secretInputProvider(this.context.secrets) };
    const problems: string[] = [];
    // Loads run in parallel; `order` keeps VS Code's precedence for the merge.
    const loads: Array<Promise<CatalogPart | undefined>> = [];
    const attempt = (source: CatalogSource, fn: () => ReturnType<typeof loadCatalog>) =>
      loads.push(
        fn().then(
          (l) => ({ ...source, catalog: l.catalog, invoker: l.invoker, secrets: l.secrets, close: () => l.close() }),
          (err: unknown) => {
            problems.push(`${source.label}: ${describeCause(err)}`);
            this.log.error(`Catalog source ${source.label} failed: ${describeCause(err)}`);
            return undefined;
          },
        ),
      );
    this.configSources = this.readConfigSources();
    for (const s of this.configSources) {
      const source = { id: s.id, kind: s.kind, label: s.label };
      const opts = { ...base, cwd: s.workspaceFolder, workspaceFolder: s.workspaceFolder };
      if (s.kind === 'workspace-file') attempt(source, () => loadCatalog({ ...opts, configValue: { value: s.value, file: s.file } }));
      else attempt(source, () => loadCatalog({ ...opts, configFile: s.file }));
    }
    const { servers, openapi } = settings.catalog;
    if (Object.keys(servers).length || Object.keys(openapi).length) {
      attempt({ id: 'settings', kind: 'settings', label: 'settings' }, () => loadCatalog({ ...base, servers, openapi, openapiWhere: 'the setting toolweaver.catalog.openapi' }));
    }
    if (settings.catalog.file) attempt({ id: 'catalog-file', kind: 'catalog-file', label: settings.catalog.file }, () => loadCatalog({ ...base, catalogFile: settings.catalog.file }));
    const parts = (await Promise.all(loads)).filter((p): p is CatalogPart => p !== undefined);
    const ownServers = parts.flatMap((p) => p.catalog.servers.map((s) => s.name));
    if (settings.catalog.includeLanguageModelTools) {
      const selection = lmToolSelection(settings.catalog.languageModelTools, ownServers);
      parts.push(...lmToolsParts(selection.chosen));
      this.offeredLmSources = selection.offered;
      if (selection.duplicates.length) this.log.info(`Left out VS Code's copies of servers ToolWeaver connects to itself: ${selection.duplicates.join(', ')}`);
    } else {
      this.offeredLmSources = [];
    }
    this.updateOfferContext();
    const hasServers = parts.some((p) => p.catalog.servers.length > 0 && p.kind !== 'language-model-tools');
    if (!hasServers && this.demoChosen && problems.length === 0) {
      // Loaded from the extension's storage folder, which has no mcp.json: the in-process demo server.
      attempt({ id: 'demo', kind: 'demo', label: 'built-in demo' }, () => loadCatalog({ ...base, cwd: this.context.globalStorageUri.fsPath, useDemoWhenEmpty: true }));
      const demo = await loads[loads.length - 1];
      if (demo) parts.unshift(demo);
    }
    if (parts.length === 0) return { merged: undefined, problems };
    const merged = mergeCatalogs(parts);
    for (const s of merged.shadowed) problems.push(`Server "${s.server}" from ${s.droppedFrom} is ignored: ${s.keptFrom} defines a server with the same name.`);
    for (const server of merged.catalog.servers) {
      if (server.status.state === 'error') this.log.warn(`Server ${server.name}: ${server.status.message}`);
    }
    return { merged, problems };
  }

  private updateOfferContext(): void {
    // Only worth a line in the welcome when a non-built-in extension or an MCP server offers tools
    // (VS Code ships extensions with tools of their own, e.g. the Mermaid renderer).
    const offered = this.offeredLmSources.some((s) => s.kind === 'mcp' || (s.kind === 'extension' && !isBuiltinExtension(s.id)));
    void vscode.commands.executeCommand('setContext', 'toolweaver.lmToolsOffered', offered);
  }

  private setState(state: CatalogState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'toolweaver.catalogState', state);
    this.changed.fire();
  }

  dispose(): void {
    void this.merged?.close();
    for (const d of this.folderWatchers) d.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
