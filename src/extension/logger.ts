// Adapts VS Code's LogOutputChannel to the engine's Logger port.
import type * as vscode from 'vscode';
import type { Logger } from '../core/ports';

export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}
