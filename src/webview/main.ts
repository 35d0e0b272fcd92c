// Webview entry point (browser bundle). Renders the trace & token panel.
export {};
