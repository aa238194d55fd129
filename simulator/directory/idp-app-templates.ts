// The app each IdP personality creates by default: its SAML attribute names and which signatures it puts on a
// Response, so a new app's sign-in looks like that IdP's (issue #13; the SAML profile itself is simulator/saml).
//
// Sourced: Entra's claim URIs (Microsoft Learn, "SAML token claims reference": givenname, surname, emailaddress,
// name; groups as http://schemas.microsoft.com/ws/2008/06/identity/claims/groups) and Entra signing the assertion
// by default ("Advanced SAML token certificate signing options": default "Sign SAML assertion").
// Decided where the vendors leave it to the admin's configuration (an app's attributes and signing stay editable):
// Okta keeps the simulator's defaults (email, firstName, lastName, groups; Response and Assertion signed);
// OneLogin User.email / User.FirstName / User.LastName / memberOf, assertion signed (its connector default
// "SAML signature element: Assertion"); JumpCloud email / firstname / lastname / memberOf, assertion signed;
// Rippling email / firstName / lastName, assertion signed; PingFederate mail / givenName / sn / memberOf (an
// LDAP-backed attribute contract), Response signed ("sign response as required" for the POST binding).
import type { AttributeStatement, IdpPersonality, ResponseSigning } from './types.ts';
import { DEFAULT_ATTRIBUTE_STATEMENTS } from './types.ts';

export interface IdpAppTemplate {
  attributeStatements: readonly AttributeStatement[];
  signing: ResponseSigning;
}

const ENTRA_CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

export const IDP_APP_TEMPLATES: Record<IdpPersonality, IdpAppTemplate> = {
  okta: {
    attributeStatements: DEFAULT_ATTRIBUTE_STATEMENTS,
    signing: { signResponse: true, signAssertion: true },
  },
  entra: {
    attributeStatements: [
      { name: `${ENTRA_CLAIMS}/emailaddress`, value: 'email' },
      { name: `${ENTRA_CLAIMS}/givenname`, value: 'firstName' },
      { name: `${ENTRA_CLAIMS}/surname`, value: 'lastName' },
      { name: `${ENTRA_CLAIMS}/name`, value: 'login' },
      { name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', value: 'groups' },
    ],
    signing: { signResponse: false, signAssertion: true },
  },
  onelogin: {
    attributeStatements: [
      { name: 'User.email', value: 'email' },
      { name: 'User.FirstName', value: 'firstName' },
      { name: 'User.LastName', value: 'lastName' },
      { name: 'memberOf', value: 'groups' },
    ],
    signing: { signResponse: false, signAssertion: true },
  },
  jumpcloud: {
    attributeStatements: [
      { name: 'email', value: 'email' },
      { name: 'firstname', value: 'firstName' },
      { name: 'lastname', value: 'lastName' },
      { name: 'memberOf', value: 'groups' },
    ],
    signing: { signResponse: false, signAssertion: true },
  },
  rippling: {
    attributeStatements: [
      { name: 'email', value: 'email' },
      { name: 'firstName', value: 'firstName' },
      { name: 'lastName', value: 'lastName' },
    ],
    signing: { signResponse: false, signAssertion: true },
  },
  ping: {
    attributeStatements: [
      { name: 'mail', value: 'email' },
      { name: 'givenName', value: 'firstName' },
      { name: 'sn', value: 'lastName' },
      { name: 'memberOf', value: 'groups' },
    ],
    signing: { signResponse: true, signAssertion: false },
  },
};
