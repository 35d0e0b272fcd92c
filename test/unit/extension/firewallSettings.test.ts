// toolweaver.firewall.categories: a workspace's settings.json can add categories to the user's
// list, never remove one, and secrets are withheld whatever either says. Same merge as
// src/extension/settings.ts (unionList, then the vault's normalizeCategories).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeCategories, OPTIONAL_FIREWALL_CATEGORIES } from '../../../src/core/firewall/categories';
import { createPrivacyVault } from '../../../src/core/firewall/vault';
import { unionList } from '../../../src/extension/agents/securitySettings';

const DEFAULT = [...OPTIONAL_FIREWALL_CATEGORIES];
const effective = (layers: Parameters<typeof unionList>[0]): string[] => [...normalizeCategories(unionList(layers) as string[])];

describe('toolweaver.firewall.categories', () => {
  it('a workspace cannot remove a category: [] in .vscode/settings.json leaves the default list', () => {
    expect(effective({ defaultValue: DEFAULT, workspaceValue: [] })).toEqual(['secrets', 'emails', 'phones', 'cards', 'ids']);
    expect(effective({ defaultValue: DEFAULT, globalValue: ['emails'], workspaceFolderValue: [] })).toEqual(['secrets', 'emails']);
  });

  it('a workspace can add categories the user switched off', () => {
    expect(effective({ defaultValue: DEFAULT, globalValue: [], workspaceValue: ['cards'] })).toEqual(['secrets', 'cards']);
  });

  it('secrets are always withheld, even when the user turns every category off', () => {
    const vault = createPrivacyVault({ categories: effective({ defaultValue: DEFAULT, globalValue: [] }) });
    expect(vault.toModel('ada@example.com ghp_16C7e42F292c6912E7710c838347Ae178B4a').value).toBe('ada@example.com «github_token_1»');
  });

  it('package.json declares the setting restricted, with every optional category as the default', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; restricted?: boolean; items: { enum: string[] } }> } };
    };
    const setting = pkg.contributes.configuration.properties['toolweaver.firewall.categories'];
    expect(setting?.default).toEqual(DEFAULT);
    expect(setting?.items.enum).toEqual(DEFAULT);
    expect(setting?.restricted).toBe(true);
  });
});
