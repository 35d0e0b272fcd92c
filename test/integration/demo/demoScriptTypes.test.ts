// The script `npm start` runs is also the example users copy: it must compile under strict
// TypeScript against the demo server's generated stubs, exactly as an editor sees it.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/core/catalog/loadCatalog';
import { DEMO_SCRIPT } from '../../../src/core/demo/demoScript';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { compileInMemory } from '../../fixtures/stubs/compileStubs';

describe('the demo script', () => {
  it('type-checks under strict against the demo stubs', async () => {
    const loaded = await loadCatalog({ cwd: '/nonexistent-toolweaver-cwd', useDemoWhenEmpty: true });
    try {
      const files = Object.fromEntries(renderStubs(loaded.catalog).filter((f) => f.path.endsWith('.ts')).map((f) => [f.path, f.content]));
      files['scripts/review.tw.ts'] = `/// <reference path="../tools.d.ts" />\n${DEMO_SCRIPT}`;
      expect(compileInMemory(files)).toEqual([]);
    } finally {
      await loaded.close();
    }
  });
});
