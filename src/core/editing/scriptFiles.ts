// The script convention: which files ToolWeaver treats as runnable scripts, and the template of a
// new one. One place, so the CodeLens, the menus (package.json `resourceFilename` regexes) and the
// README agree.

/** Runnable scripts end in `.tw.ts` or `.tw.js`. Keep in sync with package.json menus/keybindings. */
export const SCRIPT_FILE_PATTERN = /\.tw\.(ts|js)$/;

export function isRunnableScript(fileName: string): boolean {
  return SCRIPT_FILE_PATTERN.test(fileName);
}

/** Default folder for new scripts, relative to the workspace folder. */
export const DEFAULT_SCRIPTS_FOLDER = '.toolweaver/scripts';

/** A new script's text: a reference to the stubs so editors know `tools` and the helpers. */
export function newScriptTemplate(stubsRelativeToScript: string, example: string): string {
  return [
    `/// <reference path="${stubsRelativeToScript}/tools.d.ts" />`,
    '// A ToolWeaver script: runs in a sandbox whose only powers are your tools.',
    '// Call tools as tools.<server>.<tool>(input); the value you return is the result.',
    '',
    example,
    '',
  ].join('\n');
}
