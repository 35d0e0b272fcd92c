// Module aliases every node bundle needs (esbuild.mjs and the e2e test bundles): jsonc-parser's
// `main` is a UMD build whose lazy require('./impl/…') calls esbuild cannot follow, so bundles use
// its ESM build instead.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const NODE_ALIASES = {
  'jsonc-parser': require.resolve('jsonc-parser').replace(/umd[\\/]main\.js$/, 'esm/main.js'),
};
