// Typed errors of the preview module (paths, the value store, read_value). Callers branch on `code`,
// never on message text; messages are sentences a model can act on (they are shown to it as-is).

/** What went wrong reading a stored value or a path. */
export type PreviewErrorCode =
  | 'bad_path' // the path text does not parse; `position` says where
  | 'path_not_found' // the path parses but leads nowhere; `deepestPath` is the longest prefix that exists
  | 'unknown_run' // no stored value for that run id (never stored, or evicted)
  | 'no_runs' // nothing stored yet
  | 'value_not_kept' // the run's value was larger than the store keeps
  | 'bad_offset' // offset past the end of the array, object or string
  | 'invalid_option'; // a programming error: maxChars too small, negative offset, …

export class PreviewError extends Error {
  override readonly name = 'PreviewError' as const;
  readonly code: PreviewErrorCode;
  /** bad_path: 0-based index in the path text of the first character that does not fit the syntax. */
  readonly position?: number;
  /** path_not_found: canonical path of the deepest prefix that exists in the value. */
  readonly deepestPath?: string;
  constructor(code: PreviewErrorCode, message: string, options?: { position?: number; deepestPath?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.position = options?.position;
    this.deepestPath = options?.deepestPath;
  }
  static is(err: unknown, code?: PreviewErrorCode): err is PreviewError {
    return err instanceof PreviewError && (code === undefined || err.code === code);
  }
}
