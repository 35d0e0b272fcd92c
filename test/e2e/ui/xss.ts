// An XSS corpus for UI tests: put these strings into tool names, arguments, results and logs, render
// them, then `Workbench.assertNoXss()`. Every payload, if it ever executes or is parsed as markup,
// leaves a trace we detect: `window.__xss` set, a dialog function called, or a `[data-xss-probe]`
// element in some frame (markup injection even where the CSP blocks the script).

/** The global a successful payload sets. */
export const XSS_MARKER = '__xss';
/** The attribute every injected element carries. */
export const XSS_PROBE_ATTR = 'data-xss-probe';

/** Payloads; `tag` ends up in `window.__xss` so a failure says which one fired. */
export function xssCorpus(tag = 'x'): string[] {
  const set = `window.${XSS_MARKER}='${tag}'`;
  return [
    `<img src=x ${XSS_PROBE_ATTR} onerror="${set}">`,
    `<script ${XSS_PROBE_ATTR}>${set}</script>`,
    `"><svg ${XSS_PROBE_ATTR} onload="${set}">`,
    `'><details ${XSS_PROBE_ATTR} open ontoggle="${set}">`,
    `</textarea></style></title><iframe ${XSS_PROBE_ATTR} srcdoc="<script>parent.${XSS_MARKER}='${tag}'</script>"></iframe>`,
    `<a ${XSS_PROBE_ATTR} href="javascript:${set}">click</a>`,
    `javascript:${set}`,
    `{{constructor.constructor("${set}")()}}`,
    `\${${set}}`,
    `'); ${set}; alert('${tag}'); //`,
    `<style ${XSS_PROBE_ATTR}>*{display:none!important}</style>`,
    `<math><mtext><table><mglyph><style><img ${XSS_PROBE_ATTR} src=x onerror="${set}">`,
  ];
}

/**
 * Page init script (runs in every frame, webviews included): records calls to the dialog functions
 * instead of opening them (sandboxed webview iframes would silently drop a real alert()).
 */
export function xssInitScript(): void {
  const w = window as unknown as Record<string, unknown>;
  const calls: string[] = [];
  w.__xssDialogs = calls;
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    try {
      w[name] = (...args: unknown[]) => void calls.push(`${name}(${args.map(String).join(', ')})`);
    } catch {
      /* read-only in some frames */
    }
  }
}

/** What one frame revealed; empty arrays everywhere mean the corpus stayed inert. */
export interface XssReport {
  /** Frames where window.__xss was set, with its value. */
  markers: { frame: string; value: string }[];
  /** Dialog calls (alert/confirm/prompt/print) recorded by the init script, or real dialogs. */
  dialogs: { frame: string; call: string }[];
  /** Frames holding injected `[data-xss-probe]` elements, with their tag names. */
  probes: { frame: string; tags: string[] }[];
}
