// Generates stubs into the workspace (default .toolweaver/stubs) whenever the catalog changes, and
// keeps a tsconfig in the scripts folder so *.tw.ts files get IntelliSense and type errors.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_SCRIPTS_FOLDER } from '../core/editing/scriptFiles';
import { describeCause } from '../core/errors';
import { ensureSkillsDeclarationFile, SKILLS_DECLARATIONS_PATH } from '../core/skills/declarations';
import { scriptTsconfigOptions } from '../core/stubs/scriptCompilerOptions';
import { writeStubs, type WriteStubsReport } from '../core/stubs/writeStubs';
import type { CatalogService } from './catalogService';
import { readSettings } from './settings';

export class StubService implements vscode.Disposable {
  private readonly sub: vscode.Disposable;
  private running: Promise<WriteStubsReport | undefined> = Promise.resolve(undefined);
  private lastCatalogId: string | undefined;
  lastReport: WriteStubsReport | undefined;

  constructor(
    private readonly catalog: CatalogService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.sub = catalog.onDidChange(() => {
      const folder = catalog.folder;
      if (catalog.state !== 'ready' || !folder || !readSettings(folder.uri).stubs.autoGenerate) return;
      if (catalog.catalog.id === this.lastCatalogId) return;
      void this.generate();
    });
  }

  /** Absolute stubs folder of the workspace, if there is a workspace. */
  get dir(): string | undefined {
    const folder = this.catalog.folder;
    return folder ? path.resolve(folder.uri.fsPath, readSettings(folder.uri).stubs.folder) : undefined;
  }

  get scriptsDir(): string | undefined {
    const folder = this.catalog.folder;
    return folder ? path.join(folder.uri.fsPath, DEFAULT_SCRIPTS_FOLDER) : undefined;
  }

  /** Writes the stubs of the current catalog (serialized; unchanged files are left alone). */
  generate(): Promise<WriteStubsReport | undefined> {
    const task = async () => {
      const dir = this.dir;
      if (!dir || !vscode.workspace.isTrusted) return undefined;
      const catalog = this.catalog.catalog;
      try {
        // tools.d.ts references skills.d.ts, so a scripts tsconfig that predates skills still sees them.
        const report = await writeStubs(catalog, dir, { references: [SKILLS_DECLARATIONS_PATH] });
        await ensureSkillsDeclarationFile(dir);
        await this.ensureScriptsConfig(dir);
        this.lastCatalogId = catalog.id;
        this.lastReport = report;
        // The walkthrough's "stubs" step completes on this, not on the command (package.json).
        void vscode.commands.executeCommand('setContext', 'toolweaver.stubsWritten', true);
        this.log.info(`Stubs: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted in ${Math.round(report.ms)} ms (${dir})`);
        return report;
      } catch (err) {
        this.log.error(`Generating stubs into ${dir} failed: ${describeCause(err)}`);
        void vscode.window.showErrorMessage(`ToolWeaver could not write stubs to ${dir}: ${describeCause(err)}. Check that the folder is writable, or change toolweaver.stubs.folder.`);
        return undefined;
      }
    };
    this.running = this.running.then(task, task);
    return this.running;
  }

  /** A tsconfig for the scripts folder that includes the stubs' global declarations. */
  private async ensureScriptsConfig(stubsDir: string): Promise<void> {
    const scripts = this.scriptsDir;
    if (!scripts) return;
    await mkdir(scripts, { recursive: true });
    const file = path.join(scripts, 'tsconfig.json');
    const rel = path.relative(scripts, stubsDir).split(path.sep).join('/');
    const config = {
      // The pre-run type check's options (core/stubs/scriptCompilerOptions.ts): one configuration for both.
      compilerOptions: scriptTsconfigOptions(),
      include: ['./**/*.ts', './**/*.js', `${rel}/tools.d.ts`, `${rel}/skills.d.ts`],
    };
    const text = JSON.stringify(config, null, 2) + '\n';
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    // Never overwrite a tsconfig the user changed: only create it.
    if (existing === undefined) await writeFile(file, text);
  }

  dispose(): void {
    this.sub.dispose();
  }
}
