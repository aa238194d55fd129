// The SCIM protocol error: an HTTP status plus RFC 7644's scimType, rendered as the Error schema body.
// RFC 7644 3.12 (error response, scimType table) and 3.14 (412 on precondition failure).

import type { ScimErrorBody } from './schemas.ts';
import { SCIM_ERROR_SCHEMA } from './schemas.ts';

/** RFC 7644 3.12, Table 9: the detail error keywords. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A refused SCIM request. Handlers throw it; one renderer turns it into the wire body. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
  }
}

export function isScimError(value: unknown): value is ScimError {
  return value instanceof ScimError;
}

/** RFC 7644 3.12: `status` is a string on the wire; scimType only when it applies. */
export function toScimErrorBody(error: ScimError): ScimErrorBody {
  const body: ScimErrorBody = {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(error.status),
    detail: error.detail,
  };
  if (error.scimType !== undefined) body.scimType = error.scimType;
  return body;
}
