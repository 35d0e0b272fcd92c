// `${input:id}` values for mcp.json: asked once with an input box, kept in SecretStorage.
import * as vscode from 'vscode';
import type { InputProvider } from '../core/catalog/loadCatalog';

const KEY = (id: string) => `toolweaver.input.${id}`;

export function secretInputProvider(secrets: vscode.SecretStorage): InputProvider {
  return async (id, description, password) => {
    const stored = await secrets.get(KEY(id));
    if (stored !== undefined) return stored;
    const value = await vscode.window.showInputBox({
      title: `ToolWeaver: value for \${input:${id}}`,
      prompt: description ?? `Value of the input "${id}" used in .vscode/mcp.json`,
      password: password ?? true,
      ignoreFocusOut: true,
    });
    if (value !== undefined) await secrets.store(KEY(id), value);
    return value;
  };
}

/** Forgets every stored input (used when the user clears them). */
export async function forgetInputs(secrets: vscode.SecretStorage, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => secrets.delete(KEY(id))));
}
