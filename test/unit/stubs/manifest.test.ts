// One schema for the stubs' manifest.json: what renderStubs writes parses with it, and every reader
// (agents' stub text, the extension's stub locator) turns a broken file into a ConfigError naming it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../../src/core/catalog/catalogFile';
import { ConfigError } from '../../../src/core/errors';
import { parseStubManifest, STUB_MANIFEST_FILE } from '../../../src/core/stubs/manifest';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { writeStubs } from '../../../src/core/stubs/writeStubs';
import { locateStub } from '../../../src/extension/stubLocator';

const catalog = { ...parseCatalogFile(JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/stubs/referenceServers.catalog.json'), 'utf8'))), id: 'm1' };
const manifestText = renderStubs(catalog).find((f) => f.path === STUB_MANIFEST_FILE)?.content ?? '';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('the stubs manifest', () => {
  it('parses what renderStubs writes, to the same value as plain JSON', () => {
    const m = parseStubManifest(manifestText, STUB_MANIFEST_FILE);
    expect(m).toEqual(JSON.parse(manifestText));
    expect(m.servers.map((s) => [s.name, s.status, s.toolCount, s.tools.length])).toEqual([
      ['everything', 'offline', 13, 13],
      ['filesystem', 'offline', 14, 14],
      ['memory', 'offline', 9, 9],
    ]);
  });

  it('rejects a file that is not JSON, and one that is not a manifest, naming the file and the field', () => {
    const notJson = caught(() => parseStubManifest('{"servers": [', '/w/.toolweaver/stubs/manifest.json'));
    expect(ConfigError.is(notJson, 'stubs_manifest_invalid')).toBe(true);
    expect((notJson as ConfigError).file).toBe('/w/.toolweaver/stubs/manifest.json');
    expect((notJson as ConfigError).message).toBe(
      'The stubs manifest /w/.toolweaver/stubs/manifest.json is not valid JSON. Regenerate the stubs (toolweaver stubs, or ToolWeaver: Generate Stubs).',
    );
    const broken = JSON.parse(manifestText) as { servers: Array<{ tools: Array<{ file: unknown }> }> };
    (broken.servers[1] as { tools: Array<{ file: unknown }> }).tools[2] = { file: 7 };
    const wrong = caught(() => parseStubManifest(JSON.stringify(broken), 'manifest.json'));
    expect(ConfigError.is(wrong, 'stubs_manifest_invalid')).toBe(true);
    expect((wrong as ConfigError).field).toBe('servers.1.tools.2.name');
    expect((wrong as ConfigError).message).toContain('The stubs manifest manifest.json is not a ToolWeaver manifest (servers.1.tools.2.name: ');
  });

  it('locateStub finds stubs through it and reports a broken manifest as a ConfigError naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-manifest-'));
    dirs.push(dir);
    await writeStubs(catalog, dir);
    const file = await locateStub(dir, 'memory', 'delete_entities');
    expect(file).toBe(path.join(dir, 'servers/memory/delete_entities.ts'));
    expect(await locateStub(dir, 'memory', 'nope')).toBeUndefined();

    writeFileSync(path.join(dir, STUB_MANIFEST_FILE), '{"servers": [{"name": "memory"}]}');
    const err: unknown = await locateStub(dir, 'memory', 'delete_entities').catch((e: unknown) => e);
    expect(ConfigError.is(err, 'stubs_manifest_invalid')).toBe(true);
    expect((err as ConfigError).file).toBe(path.join(dir, STUB_MANIFEST_FILE));

    const empty = mkdtempSync(path.join(tmpdir(), 'tw-manifest-none-'));
    dirs.push(empty);
    mkdirSync(path.join(empty, 'servers'));
    expect(await locateStub(empty, 'memory')).toBeUndefined();
  });
});
