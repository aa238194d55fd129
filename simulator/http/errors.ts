// The one place where every simulator error becomes an HTTP status, a stable code and a page or JSON body.
// idsim issue #3 (errors with stable codes, never a stack trace); node-oidc-provider err_out pattern.

import type { NextFunction, Request, Response } from 'express';
import { errors as oidcErrors } from 'oidc-provider';
import { httpClientErrorStatus } from '../../protocol/http/client-error.ts';
import { SamlXmlError } from '../../protocol/saml/index.ts';
import { DirectoryError, type DirectoryErrorCode } from '../directory/index.ts';
import { IdpError } from '../saml/errors.ts';
import { HeadlessSignInError } from '../saml/headless.ts';
import { renderErrorPage } from './pages.ts';

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
}

/** Thrown by API handlers for malformed input. */
export class ApiInputError extends Error {
  readonly code = 'invalid_input';
}

const DIRECTORY_STATUS: Readonly<Record<DirectoryErrorCode, number>> = {
  person_not_found: 404,
  group_not_found: 404,
  app_not_found: 404,
  login_taken: 409,
  invalid_sp_metadata: 400,
  sp_metadata_fetch_failed: 502,
  invalid_input: 400,
};

const TITLES: Readonly<Record<string, string>> = {
  not_assigned: 'You are not assigned to this app',
  not_found: 'Not found',
  internal_error: 'Something went wrong',
};

/** Maps any thrown value to {status, code, message}; unknown errors become a generic 500. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof IdpError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof DirectoryError) {
    return { status: DIRECTORY_STATUS[error.code], code: error.code, message: error.message };
  }
  if (error instanceof SamlXmlError) return { status: 400, code: 'invalid_request', message: error.message };
  // oidc-provider's own errors (an expired interaction, a replayed form) carry their status and OAuth error code.
  if (error instanceof oidcErrors.OIDCProviderError) {
    return { status: error.statusCode, code: error.error, message: error.error_description ?? error.message };
  }
  if (error instanceof ApiInputError) return { status: 400, code: error.code, message: error.message };
  // The headless dance talks to other servers: their failures are a bad gateway, not ours.
  if (error instanceof HeadlessSignInError) return { status: 502, code: error.code, message: error.message };
  const clientStatus = httpClientErrorStatus(error);
  if (clientStatus !== null) {
    // body-parser marks its own errors with `type`; the rest is the router failing to decode the path.
    return typeof error === 'object' && error !== null && 'type' in error
      ? { status: clientStatus, code: 'invalid_body', message: 'the request body is unreadable' }
      : { status: clientStatus, code: 'invalid_request', message: 'malformed request' };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

/**
 * Express error middleware: JSON for the API and for `Accept: application/json`, an HTML page otherwise.
 * Unexpected errors (500) go to `onUnexpected` (the config's `onUnexpectedError`) and are never echoed.
 */
export function errorRenderer(
  onUnexpected: (error: unknown) => void,
): (error: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (error, req, res, _next) => {
    const body = toErrorBody(error);
    if (body.status >= 500 && body.code === 'internal_error') onUnexpected(error);
    sendError(body, req, res);
  };
}

function sendError(body: ErrorBody, req: Request, res: Response): void {
  res.status(body.status);
  if (wantsJson(req)) {
    res.json({ code: body.code, message: body.message });
    return;
  }
  res.type('html').send(renderErrorPage(TITLES[body.code] ?? 'Sign-in refused', body.code, body.message));
}

/** 404 for unknown routes, through the same renderer. */
export function notFound(req: Request, res: Response): void {
  sendError({ status: 404, code: 'not_found', message: `no route for ${req.method} ${req.path}` }, req, res);
}
