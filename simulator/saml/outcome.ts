// What an IdP flow returns for the HTTP layer to send: an auto-post form, a redirect, the login form or a page.
// design.md / style.md (thin handlers: flows take request values and return an outcome; HTTP only maps it).

import type { IdpErrorCode } from './errors.ts';

/** What a flow asks the HTTP layer to send; the HTTP layer only maps it (thin handlers). */
export type IdpOutcome =
  | {
      kind: 'post-form';
      /** HTTP-POST binding (bindings 3.5.4): an auto-submitting form to the SP's ACS. */
      action: string;
      fields: Record<string, string>;
      setSessionId?: string | undefined;
    }
  | {
      kind: 'redirect';
      location: string;
      setSessionId?: string | undefined;
      clearSession?: boolean | undefined;
    }
  | { kind: 'login-form'; status: number; contextId: string | undefined; error?: IdpErrorCode | undefined }
  | { kind: 'page'; status: number; title: string; message: string; clearSession?: boolean | undefined };
