// How one outcome becomes a verdict: refused, accepted as the signed identity (ASCII case-insensitive), or ACCEPTED,
// critical when another person's account was opened. idsim issue #11 (the three verdicts of the report card).

import { describe, expect, it } from 'vitest';
import { findFault } from '../../../simulator/saml/faults/index.ts';
import type { SignInOutcome } from '../../target.ts';
import { judge, summarise, visible } from '../audit.ts';

const base: SignInOutcome = {
  accepted: true,
  code: null,
  status: 303,
  location: '/home',
  accountId: 'a1',
  message: null,
  landing: 'team',
  accountEmail: null,
};
const refuse = findFault('xsw3');
const lenient = findFault('ascii-case-variant');
if (refuse === undefined || lenient === undefined) throw new Error('catalogue changed');

describe('judging an outcome', () => {
  it('a refusal passes either expectation', () => {
    const refused = { ...base, accepted: false, code: 'signature_invalid', status: 401 };
    expect(judge(refuse, refused, 'eve@x.test')).toMatchObject({ verdict: 'refused', pass: true });
    expect(judge(lenient, refused, 'EVE@x.test')).toMatchObject({ verdict: 'refused', pass: true });
  });

  it('accepted as the signed identity (ASCII case folded) passes only where the fault allows it', () => {
    const asEve = { ...base, accountEmail: 'eve@x.test' };
    expect(judge(lenient, asEve, 'EvE@X.test')).toMatchObject({ verdict: 'accepted-as-signed', pass: true });
    expect(judge(refuse, asEve, 'eve@x.test')).toMatchObject({
      verdict: 'accepted-as-signed',
      pass: false,
      severity: 'high',
    });
  });

  it('accepted as anyone else is critical; Unicode case folding does not count as the same identity', () => {
    const asKim = { ...base, accountEmail: 'kim@x.test' };
    expect(judge(lenient, asKim, '\u212Aim@x.test')).toMatchObject({
      verdict: 'accepted',
      pass: false,
      severity: 'critical',
    });
    expect(judge(refuse, asKim, 'eve@x.test').note).toContain('ACCEPTED as kim@x.test');
  });

  it('an acceptance that does not say as whom cannot pass', () => {
    expect(judge(lenient, base, 'eve@x.test')).toMatchObject({ verdict: 'accepted', pass: false });
  });

  it('grades: A when all pass, F on any critical row, - without a control sign-in', () => {
    const row = (pass: boolean, severity: 'critical' | 'high' | null) =>
      ({ family: 'wrapping', verdict: pass ? 'refused' : 'accepted', pass, severity }) as never;
    expect(summarise([row(true, null)], true).grade).toBe('A');
    expect(summarise([row(true, null), row(false, 'high')], true).grade).toBe('B');
    expect(summarise([row(false, 'critical')], true).grade).toBe('F');
    expect(summarise([], false).grade).toBe('-');
    expect(visible('k\u200bim\u00a0')).toBe('k\\u{200B}im\\u{A0}');
  });
});
