// The console API's typed errors and the ONE place that maps every error (console, team service, simulator) to an
// HTTP status and a JSON body {error: {code, message}} (style.md: stable machine codes, no stack traces).
import { controlErrorResponse } from '../server/control/errors.ts';
import { isDomainError } from '../server/domain/errors.ts';
import type { Logger } from '../server/http/logger.ts';
import { DirectoryError } from '../simulator/directory/errors.ts';
import { IdpError } from '../simulator/saml/errors.ts';
import { isScimPushError } from '../simulator/scim/errors.ts';

export type ConsoleErrorCode =
  | 'invalid_input'
  | 'unknown_scenario'
  | 'scenario_finished'
  | 'not_available_for_target'
  | 'provisioning_off'
  | 'group_not_assigned'
  | 'already_pushed'
  | 'scenario_running';

const consoleErrorStatus: Record<ConsoleErrorCode, number> = {
  invalid_input: 400,
  unknown_scenario: 404,
  scenario_finished: 409,
  not_available_for_target: 409,
  provisioning_off: 409,
  group_not_assigned: 409,
  already_pushed: 409,
  scenario_running: 409,
};

export class ConsoleError extends Error {
  readonly code: ConsoleErrorCode;

  constructor(code: ConsoleErrorCode, message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
  }
}

export interface ConsoleErrorResponse {
  status: number;
  body: { error: { code: string; message: string } };
}

export function consoleErrorResponse(error: unknown, logger: Logger): ConsoleErrorResponse {
  const render = (status: number, code: string, message: string): ConsoleErrorResponse => ({
    status,
    body: { error: { code, message } },
  });
  if (error instanceof ConsoleError) return render(consoleErrorStatus[error.code], error.code, error.message);
  if (error instanceof DirectoryError) {
    return render(error.code.endsWith('not_found') ? 404 : 400, error.code, error.message);
  }
  if (error instanceof IdpError) return render(error.status, error.code, error.message);
  if (isScimPushError(error)) {
    // The target's own failures are a bad gateway; a push the IdP refuses before sending (GRP-01, GRP-03) is a conflict.
    const refusedLocally = [
      'members_not_provisioned',
      'link_target_not_found',
      'link_target_not_empty',
      'not_provisioned',
    ];
    return render(refusedLocally.includes(error.code) ? 409 : 502, error.code, error.message);
  }
  if (isDomainError(error)) {
    const { status, body } = controlErrorResponse(error, logger);
    return render(
      status,
      error.code,
      (body as { error?: { message?: string } }).error?.message ?? error.message,
    );
  }
  logger.error('console action failed', { message: error instanceof Error ? error.message : String(error) });
  return render(500, 'internal_error', 'the console action failed unexpectedly');
}
