// The workspace's skills for the editor: loaded (in a sandbox of its own, never the extension host's
// thread) when the folder, the skill files or the catalog change; skills.d.ts written beside the stubs
// so completion and hover know `skills.*`; records read from the traces for the Tools view.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { describeCause } from '../core/errors';
import { createSandbox, type Sandbox } from '../core/sandbox/sandbox';
import { skillsDeclarationFile } from '../core/skills/declarations';
import { createSkillRecords, type SkillRecord } from '../core/skills/records';
import type { Skill, SkillSet } from '../core/skills/skillSet';
import { loadWorkspaceSkills } from '../core/skills/workspaceSkills';
import type { TraceStore } from '../core/trace/store';
import type { CatalogService } from './catalogService';
import { skillsDirOf } from './settings';
import type { StubService } from './stubService';

/** How many traces the records read (newest first). */
const RECORD_TRACES = 300;

export class SkillService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private sandbox: Sandbox | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> = Promise.resolve();
  private records = new Map<string, SkillRecord>();
  private watcher: vscode.Disposable | undefined;
  set: SkillSet | undefined;

  constructor(
    private readonly catalog: CatalogService,
    private readonly stubs: StubService,
    private readonly store: () => TraceStore | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.watchFolder();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('toolweaver.skills.folder')) return;
        this.watchFolder();
        this.reloadSoon();
      }),
      catalog.onDidChange(() => {
        if (catalog.state === 'ready') this.reloadSoon();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reloadSoon()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchFolder()),
    );
  }

  /** Watches the skill files of the current folder (toolweaver.skills.folder); again when it changes. */
  private watchFolder(): void {
    this.watcher?.dispose();
    const dir = this.dir;
    if (!dir) {
      this.watcher = undefined;
      return;
    }
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*.{ts,js}'));
    const subs = [watcher.onDidChange(() => this.reloadSoon()), watcher.onDidCreate(() => this.reloadSoon()), watcher.onDidDelete(() => this.reloadSoon())];
    this.watcher = { dispose: () => [...subs, watcher].forEach((d) => d.dispose()) };
  }

  /** The skills that loaded (none before the first load or in an untrusted folder). */
  get skills(): readonly Skill[] {
    return this.set?.skills ?? [];
  }

  /** The skills folder of the workspace. */
  get dir(): string | undefined {
    const folder = this.catalog.folder;
    return folder ? skillsDirOf(folder.uri) : undefined;
  }

  record(name: string): SkillRecord | undefined {
    return this.records.get(name);
  }

  private reloadSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), 150);
  }

  /** Loads the skills again (serialized); resolves when the new set, its declarations and records are in. */
  reload(): Promise<void> {
    const task = async (): Promise<void> => {
      const folder = this.catalog.folder;
      // Loading evaluates workspace files (in the sandbox): only in a trusted folder.
      if (!folder || !vscode.workspace.isTrusted) return;
      this.sandbox ??= createSandbox({ poolSize: 1 });
      try {
        const embeddedDemo = this.catalog.catalog.servers.some((s) => s.source === 'demo');
        this.set = await loadWorkspaceSkills({ cwd: folder.uri.fsPath, dir: skillsDirOf(folder.uri), sandbox: this.sandbox, embeddedDemo });
        for (const b of this.set.broken) this.log.warn(`Skill: ${b.message}`);
        await this.readRecords();
        await this.writeDeclarations();
        this.log.info(`Skills: ${this.set.skills.length} loaded, ${this.set.broken.length} broken (${this.set.dir})`);
      } catch (err) {
        this.log.error(`Loading the skills failed: ${describeCause(err)}`);
      }
      this.changed.fire();
    };
    this.loading = this.loading.then(task, task);
    return this.loading;
  }

  /** Re-reads the records (after a run, say). */
  async readRecords(): Promise<void> {
    const store = this.store();
    const recs = createSkillRecords();
    if (store) {
      const { traces } = await store.list({ limit: RECORD_TRACES }).catch(() => ({ traces: [] }));
      for (const t of traces) {
        try {
          recs.record(await store.read(t.id));
        } catch {
          // a trace that vanished or is corrupt gives no evidence
        }
      }
    }
    this.records = new Map(recs.names().map((n) => [n, recs.get(n)!]));
  }

  /** skills.d.ts beside tools.d.ts, and a tsconfig for the skill files (created once, never overwritten). */
  private async writeDeclarations(): Promise<void> {
    const stubsDir = this.stubs.dir;
    const dir = this.dir;
    if (!stubsDir || !dir) return;
    await mkdir(stubsDir, { recursive: true });
    const file = skillsDeclarationFile(this.skills);
    const target = path.join(stubsDir, file.path);
    if ((await readFile(target, 'utf8').catch(() => undefined)) !== file.content) await writeFile(target, file.content);
    if (!this.set?.skills.some((s) => s.file.startsWith(dir)) && !this.set?.broken.length) return;
    const tsconfig = path.join(dir, 'tsconfig.json');
    if ((await readFile(tsconfig, 'utf8').catch(() => undefined)) !== undefined) return;
    const rel = path.relative(dir, stubsDir).split(path.sep).join('/');
    const config = { compilerOptions: { target: 'ES2022', module: 'ESNext', moduleDetection: 'force', strict: false, noEmit: true, lib: ['ES2022'], types: [] }, include: ['./*.ts', `${rel}/tools.d.ts`, `${rel}/skills.d.ts`] };
    await writeFile(tsconfig, `${JSON.stringify(config, null, 2)}\n`);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changed.dispose();
    void this.sandbox?.dispose();
  }
}
