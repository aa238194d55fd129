// Okta management API errors: one class with the Okta error code and HTTP status, rendered in Okta's error shape.
// Okta "Error codes" reference (errorCode, errorSummary, errorLink, errorId, errorCauses); E0000001/04/07/11/16/31.

import { randomBytes } from 'node:crypto';

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** The Okta codes this subset answers with, their HTTP status and summary. */
const OKTA_ERRORS = {
  E0000001: { status: 400, summary: 'Api validation failed' },
  E0000003: { status: 400, summary: 'The request body was not well-formed.' },
  E0000007: { status: 404, summary: 'Not found' },
  E0000009: { status: 500, summary: 'Internal Server Error' },
  E0000011: { status: 401, summary: 'Invalid token provided' },
  E0000016: { status: 403, summary: 'Activation failed because the user is already active' },
  E0000022: { status: 405, summary: 'The endpoint does not support the provided HTTP method' },
  E0000031: { status: 400, summary: 'Invalid search criteria.' },
} as const;

export type OktaErrorCode = keyof typeof OKTA_ERRORS;

export class OktaApiError extends Error {
  readonly code: OktaErrorCode;
  readonly status: number;
  readonly summary: string;
  readonly causes: string[];

  constructor(code: OktaErrorCode, summary?: string, causes: string[] = []) {
    super(summary ?? OKTA_ERRORS[code].summary);
    this.name = 'OktaApiError';
    this.code = code;
    this.status = OKTA_ERRORS[code].status;
    this.summary = summary ?? OKTA_ERRORS[code].summary;
    this.causes = causes;
  }
}

/** Okta's error JSON: errorLink repeats the code, errorId is a fresh opaque id per error. */
export function oktaErrorBody(error: OktaApiError): OktaErrorBody {
  return {
    errorCode: error.code,
    errorSummary: error.summary,
    errorLink: error.code,
    errorId: `oae${randomBytes(11).toString('base64url')}`,
    errorCauses: error.causes.map((errorSummary) => ({ errorSummary })),
  };
}

export function notFound(kind: 'User' | 'Group' | 'App' | 'AppUser', id: string): OktaApiError {
  return new OktaApiError('E0000007', `Not found: Resource not found: ${id} (${kind})`);
}
