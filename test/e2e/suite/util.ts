// Helpers for extension-host tests: the repo, our manifest and extension, the test workspace.
// Runs inside the extension host (imports vscode); bundled to out/e2e/extension-tests.js.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/** The repo root (the extensionDevelopmentPath). run.mjs sets the env; the fallback is out/e2e/../.. */
export const REPO_ROOT = process.env.TOOLWEAVER_E2E_REPO ?? path.resolve(__dirname, '..', '..');

/** The parts of package.json the tests read. */
export interface Manifest {
  publisher: string;
  name: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; name: string }[]>;
    configuration?: unknown;
  };
}

/** package.json as it is on disk now, so tests grow with the manifest. */
export function readManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
}

/** `publisher.name`, the id VS Code knows the extension by. */
export function extensionId(): string {
  const m = readManifest();
  return `${m.publisher}.${m.name}`;
}

/** Our extension, activated. Throws if VS Code did not load it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(extensionId());
  if (!ext) throw new Error(`extension ${extensionId()} is not loaded (extensionDevelopmentPath = ${REPO_ROOT}?)`);
  await ext.activate();
  return ext;
}

/** The first workspace folder's path (run.mjs opens a temp copy of test/e2e/workspace). */
export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open');
  return f.uri.fsPath;
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 100): Promise<NonNullable<T>> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
