// Keeps the workspace's tool catalog: .vscode/mcp.json (watched), the toolweaver.catalog.* settings,
// language-model tools, or the demo. Refreshes are serialized (the newest wins) and close the
// previous servers; nothing is spawned in an untrusted workspace.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { loadCatalog } from '../core/catalog/loadCatalog';
import type { Catalog, ConfigSecrets } from '../core/catalog/types';
import { describeCause } from '../core/errors';
import type { ToolInvoker } from '../core/ports';
import { mergeCatalogs, type CatalogPart, type MergedCatalog } from '../core/workspace/mergeCatalogs';
import { secretInputProvider } from './inputs';
import { lmToolsPart } from './lmToolsSource';
import { channelLogger } from './logger';
import { readSettings } from './settings';

export type CatalogState = 'loading' | 'ready' | 'empty' | 'untrusted' | 'error';

const DEMO_KEY = 'toolweaver.useDemo';
const EMPTY: Catalog = { id: 'empty', servers: [] };

export class CatalogService implements vscode.Disposable {
  private merged: MergedCatalog | undefined;
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private pending: Promise<void> | undefined;
  state: CatalogState = 'loading';
  /** Configuration problems of the last refresh, one sentence each. */
  problems: string[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const folder = this.folder;
    if (folder) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.vscode/mcp.json'));
      const onFile = () => void this.refresh();
      this.disposables.push(watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile));
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('toolweaver.catalog')) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
    );
  }

  get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  get catalog(): Catalog {
    return this.merged?.catalog ?? EMPTY;
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

  /** Uses the built-in demo server for this workspace from now on. */
  async useDemo(): Promise<void> {
    await this.context.workspaceState.update(DEMO_KEY, true);
    await this.refresh();
  }

  /** Reloads every source. Concurrent calls share one pass; a call during a pass queues another. */
  refresh(): Promise<void> {
    const run = async () => {
      const gen = ++this.generation;
      this.setState('loading');
      const { merged, problems } = await this.loadParts();
      if (gen !== this.generation) {
        await merged?.close();
        return;
      }
      const previous = this.merged;
      this.merged = merged;
      this.problems = problems;
      void previous?.close();
      const servers = merged?.catalog.servers.length ?? 0;
      this.setState(!vscode.workspace.isTrusted ? 'untrusted' : servers > 0 ? 'ready' : problems.length ? 'error' : 'empty');
    };
    const next = (this.pending ?? Promise.resolve()).then(run, run);
    this.pending = next;
    return next;
  }

  private async loadParts(): Promise<{ merged: MergedCatalog | undefined; problems: string[] }> {
    if (!vscode.workspace.isTrusted) return { merged: undefined, problems: [] };
    const folder = this.folder;
    const settings = readSettings(folder?.uri);
    const cwd = folder?.uri.fsPath ?? process.cwd();
    const base = { cwd, workspaceFolder: cwd, connectTimeoutMs: settings.catalog.connectTimeoutMs, connectTimeoutHint: 'the setting toolweaver.catalog.connectTimeoutMs', logger: channelLogger(this.log), inputs: secretInputProvider(this.context.secrets) };
    const problems: string[] = [];
    const loads: Array<Promise<CatalogPart | undefined>> = [];
    const attempt = (label: string, fn: () => ReturnType<typeof loadCatalog>) =>
      loads.push(
        fn().then(
          (l) => ({ label, catalog: l.catalog, invoker: l.invoker, secrets: l.secrets, close: () => l.close() }),
          (err: unknown) => {
            problems.push(`${label}: ${describeCause(err)}`);
            this.log.error(`Catalog source ${label} failed: ${describeCause(err)}`);
            return undefined;
          },
        ),
      );
    const mcpJson = path.join(cwd, '.vscode', 'mcp.json');
    if (folder && existsSync(mcpJson)) attempt('.vscode/mcp.json', () => loadCatalog({ ...base, configFile: mcpJson }));
    if (Object.keys(settings.catalog.servers).length) attempt('settings', () => loadCatalog({ ...base, servers: settings.catalog.servers }));
    if (settings.catalog.file) attempt(settings.catalog.file, () => loadCatalog({ ...base, catalogFile: settings.catalog.file }));
    const parts = (await Promise.all(loads)).filter((p): p is CatalogPart => p !== undefined);
    if (settings.catalog.includeLanguageModelTools) {
      const lm = lmToolsPart();
      if (lm) parts.push(lm);
    }
    const wantsDemo = settings.catalog.useDemoWhenEmpty || this.context.workspaceState.get<boolean>(DEMO_KEY) === true;
    const hasServers = parts.some((p) => p.catalog.servers.length > 0 && p.label !== 'language-model tools');
    if (!hasServers && wantsDemo && problems.length === 0) {
      // A folder without mcp.json, so loadCatalog falls back to the in-process demo server.
      attempt('demo', () => loadCatalog({ ...base, cwd: this.context.globalStorageUri.fsPath, useDemoWhenEmpty: true }));
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

  private setState(state: CatalogState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'toolweaver.catalogState', state);
    this.changed.fire();
  }

  dispose(): void {
    void this.merged?.close();
    for (const d of this.disposables) d.dispose();
  }
}
