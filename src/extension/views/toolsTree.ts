// The Tools view: servers with their state, then their tools, with inline actions (open stub,
// insert a call, copy the signature). Configuration problems are shown as rows, not hidden in logs;
// tools the heuristic injection check flagged carry a warning icon and say why in their tooltip;
// tools past runs called show their observed figures (short in the row, one line in the tooltip).
import * as vscode from 'vscode';
import { describeFindings, toolFindings } from '../../core/catalog/textFindings';
import { neutralize } from '../../core/untrusted/unicode';
import type { CatalogServer, CatalogTool } from '../../core/catalog/types';
import { observedCompact, observedLine, type ToolFigures } from '../../core/discovery/observed';
import type { CatalogService } from '../catalogService';
import type { SkillService } from '../skillService';
import { describeRecord } from '../../core/skills/records';
import type { BrokenSkill, Skill } from '../../core/skills/skillSet';

export type ToolsNode =
  | { kind: 'problem'; message: string }
  | { kind: 'server'; server: CatalogServer }
  | { kind: 'tool'; server: CatalogServer; tool: CatalogTool }
  | { kind: 'skills' }
  | { kind: 'skill'; skill: Skill }
  | { kind: 'brokenSkill'; broken: BrokenSkill };

function firstLine(text: string | undefined): string {
  return neutralize(text ?? '').split(/\r?\n/)[0]?.trim() ?? '';
}

function annotationsText(tool: CatalogTool): string {
  const a = tool.annotations ?? {};
  return [a.readOnlyHint ? 'read-only' : '', a.destructiveHint ? 'destructive' : '', a.idempotentHint ? 'idempotent' : '', a.openWorldHint ? 'open-world' : '']
    .filter(Boolean)
    .join(', ');
}

export class ToolsTreeProvider implements vscode.TreeDataProvider<ToolsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ToolsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;
  private figures: ToolFigures | undefined;

  private readonly skillsSub: vscode.Disposable | undefined;

  /** `observed` reads the figures of past runs (see refreshFigures); absent = none shown. */
  constructor(
    private readonly catalog: CatalogService,
    private readonly skills?: SkillService,
    private readonly observed?: () => Promise<ToolFigures | undefined>,
  ) {
    this.sub = catalog.onDidChange(() => this.changed.fire(undefined));
    this.skillsSub = skills?.onDidChange(() => this.changed.fire(undefined));
    void this.refreshFigures();
  }

  /** Redraws the view (after a run changed the skills' records). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Re-reads the observed figures (after a run) and redraws the rows; a failure keeps the old ones. */
  async refreshFigures(): Promise<void> {
    if (!this.observed) return;
    try {
      this.figures = await this.observed();
    } catch {
      return;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: ToolsNode): ToolsNode[] {
    if (!node) {
      const problems: ToolsNode[] = this.catalog.problems.map((message) => ({ kind: 'problem', message }));
      const set = this.skills?.set;
      const skills: ToolsNode[] = set && (set.skills.length || set.broken.length) ? [{ kind: 'skills' }] : [];
      return [...problems, ...this.catalog.catalog.servers.map((server): ToolsNode => ({ kind: 'server', server })), ...skills];
    }
    if (node.kind === 'skills') {
      const set = this.skills?.set;
      return [...(set?.skills ?? []).map((skill): ToolsNode => ({ kind: 'skill', skill })), ...(set?.broken ?? []).map((broken): ToolsNode => ({ kind: 'brokenSkill', broken }))];
    }
    if (node.kind === 'server') return node.server.tools.map((tool): ToolsNode => ({ kind: 'tool', server: node.server, tool }));
    return [];
  }

  getTreeItem(node: ToolsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'problem': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = node.message;
        item.contextValue = 'problem';
        return item;
      }
      case 'server': {
        const s = node.server;
        // Where it is configured: with several folders, a workspace file and the user's mcp.json, people need to know which file to edit.
        const origin = this.catalog.originOf(s.name);
        // First in the row (a narrow sidebar cuts the end off); the demo and language-model tools say where they are from already.
        const where = origin && origin.kind !== 'demo' && origin.kind !== 'language-model-tools' ? `${origin.label} · ` : '';
        const item = new vscode.TreeItem(s.name, s.tools.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = `server:${s.name}`;
        item.contextValue = 'server';
        if (s.status.state === 'error') {
          item.description = `${where}error: ${s.status.message}`;
          item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
          item.tooltip = new vscode.MarkdownString(`**${s.name}** failed (${s.status.code}).\n\n${s.status.message}`);
        } else {
          const state = s.status.state === 'offline' ? 'offline snapshot' : s.source === 'vscode-lm' ? 'language-model tools' : s.source === 'openapi' ? 'OpenAPI' : 'connected';
          item.description = `${where}${state} · ${s.tools.length} ${s.tools.length === 1 ? 'tool' : 'tools'}`;
          item.iconPath = new vscode.ThemeIcon(s.status.state === 'offline' ? 'cloud' : s.source === 'vscode-lm' ? 'sparkle' : s.source === 'openapi' ? 'globe' : 'server-process', new vscode.ThemeColor('testing.iconPassed'));
          item.tooltip = new vscode.MarkdownString(`**${s.name}** ${s.serverInfo ? `— ${s.serverInfo.name} ${s.serverInfo.version}` : ''}\n\nScripts call its tools as \`tools.${s.ident}.<tool>(input)\`.${origin ? `\n\nFrom ${origin.label}.` : ''}`);
        }
        return item;
      }
      case 'skills': {
        const n = this.skills?.skills.length ?? 0;
        const item = new vscode.TreeItem('Skills', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'skills';
        item.contextValue = 'skills';
        item.description = `${n} ${n === 1 ? 'skill' : 'skills'} · .toolweaver/skills`;
        item.iconPath = new vscode.ThemeIcon('library');
        item.tooltip = 'Saved workflows: scripts call them as skills.<name>(input); toolweaver mcp serves each as the tool skill_<name>.';
        return item;
      }
      case 'skill': {
        const { skill } = node;
        const record = this.skills?.record(skill.name);
        const item = new vscode.TreeItem(skill.name, vscode.TreeItemCollapsibleState.None);
        item.id = `skill:${skill.name}`;
        item.contextValue = 'skill';
        item.description = `${describeRecord(record)} · ${skill.hash}`;
        const failing = record?.failingExample;
        item.iconPath = failing ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')) : new vscode.ThemeIcon('symbol-event');
        const md = new vscode.MarkdownString();
        md.appendCodeblock(`skills.${skill.name}(input)`, 'typescript');
        md.appendText(neutralize(skill.description));
        md.appendMarkdown(`\n\n_${describeRecord(record)}; version ${skill.hash}${record?.versions.length ? ` (ran: ${record.versions.join(', ')})` : ''}_`);
        if (failing) md.appendText(`\n\nThe last skills test failed: ${failing}`);
        md.appendText(`\n\n${skill.file}`);
        item.tooltip = md;
        if (!skill.file.startsWith('(')) item.command = { command: 'vscode.open', title: 'Open Skill', arguments: [vscode.Uri.file(skill.file)] };
        return item;
      }
      case 'brokenSkill': {
        const item = new vscode.TreeItem(node.broken.file.split(/[\\/]/).pop() ?? node.broken.file, vscode.TreeItemCollapsibleState.None);
        item.contextValue = 'brokenSkill';
        item.description = node.broken.message;
        item.tooltip = node.broken.message;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.command = { command: 'vscode.open', title: 'Open Skill', arguments: [vscode.Uri.file(node.broken.file)] };
        return item;
      }
      case 'tool': {
        const { server, tool } = node;
        const item = new vscode.TreeItem(tool.ident, vscode.TreeItemCollapsibleState.None);
        item.id = `tool:${server.name}/${tool.name}`;
        item.contextValue = 'tool';
        item.description = firstLine(tool.title ?? tool.description);
        const destructive = tool.annotations?.destructiveHint === true;
        const flags = toolFindings(this.catalog.catalog, server.name, tool.name);
        item.iconPath = flags.length
          ? new vscode.ThemeIcon('shield', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : new vscode.ThemeIcon(destructive ? 'warning' : tool.annotations?.readOnlyHint ? 'symbol-method' : 'symbol-function');
        const seen = this.figures?.get(server.name, tool.name);
        // Our own figures first: a narrow sidebar cuts the end of the row off.
        if (seen) item.description = `${observedCompact(seen)} · ${item.description}`;
        if (flags.length) item.description = `⚠ flagged · ${item.description}`;
        const md = new vscode.MarkdownString();
        if (flags.length) {
          md.appendMarkdown('$(warning) **Flagged by the heuristic injection check:** ');
          md.appendText(`${describeFindings(flags)}. Models get this text framed as data, with a warning; check the server before you trust it.`);
          md.appendMarkdown('\n\n');
          md.supportThemeIcons = true;
        }
        md.appendCodeblock(`tools.${server.ident}.${tool.ident}(input)`, 'typescript');
        if (tool.description) md.appendText(neutralize(tool.description));
        const notes = annotationsText(tool);
        if (notes) md.appendMarkdown(`\n\n_${notes}_`);
        if (tool.name !== tool.ident) md.appendMarkdown(`\n\nOriginal name: \`${tool.name}\``);
        if (seen) {
          md.appendMarkdown('\n\n');
          md.appendText(`In this folder's past runs (${seen.runs} run${seen.runs === 1 ? '' : 's'}): ${observedLine(seen).replace(/^observed: /, '')}`);
        }
        item.tooltip = md;
        item.command = { command: 'toolweaver.openToolStub', title: 'Open Stub', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.skillsSub?.dispose();
    this.changed.dispose();
  }
}
