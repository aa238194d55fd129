// Typed directory errors with stable machine codes; the HTTP layer maps them to statuses in one place.
// idsim issue #3 (directory JSON API); style.md (typed errors with stable codes).

export type DirectoryErrorCode =
  | 'person_not_found'
  | 'group_not_found'
  | 'app_not_found'
  | 'login_taken'
  | 'invalid_sp_metadata'
  | 'sp_metadata_fetch_failed'
  | 'invalid_input';

export class DirectoryError extends Error {
  readonly code: DirectoryErrorCode;

  constructor(code: DirectoryErrorCode, message: string) {
    super(message);
    this.name = 'DirectoryError';
    this.code = code;
  }
}
