// The sign-in pages as data: every route returns one of these views; render.ts turns it into HTML or JSON.
// idsim issue #3: "every refusal is a page and a JSON body with a stable machine code, never a stack trace".
import type { SignInErrorCode } from '../../signin/errors.ts';

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'hidden';
  value?: string;
}

export type View =
  | { type: 'refusal'; code: SignInErrorCode; message: string }
  | {
      type: 'landing';
      landing: 'personal' | 'team' | 'organisation';
      title: string;
      account: { id: string; email: string; username: string | null };
      teamId?: string;
      organisation?: { id: string; slug: string; name: string };
      teams: { teamId: string; role: string; status: string }[];
    }
  | {
      type: 'form';
      /** stable marker (data-form) so scripts and the headless browser can tell forms apart */
      form: string;
      title: string;
      intro: string;
      action: string;
      fields: FormField[];
      submit: string;
      links: { href: string; text: string }[];
    }
  | { type: 'message'; title: string; message: string; links: { href: string; text: string }[] }
  /** `complete` false: signed out here, but the IdP reported that it could not end every session (profiles 4.4.4.2) */
  | { type: 'signed_out'; complete: boolean };

/** What a thin handler returns: a view, its status, and optionally a redirect and cookies. */
export interface PageResult {
  status: number;
  view: View;
  /** 303 See Other target (RFC 9110 15.4.4) when set */
  location?: string;
  setCookies?: string[];
}
