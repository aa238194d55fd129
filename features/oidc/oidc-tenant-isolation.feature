@product @control @oidc @decision
Feature: Tenant isolation of OIDC sign-ins
  An organisation that verified an email domain owns the addresses in it (docs/decisions.md, idsim #16/#17): no
  other organisation's IdP signs them in, over OIDC as over SAML. The refusal is `foreign_domain` and nothing is
  written: no account, no membership.

  Background:
    Given a team on the Enterprise plan with 5 licensed seats
    And the team signs in with the simulated IdP over OpenID Connect
    And the SSO method has "Automatically add new users" on
    And another organisation with its own verified domain, an Enterprise team with SCIM on and a key held by its IdP

  @SSO-07
  Scenario: An OIDC sign-in for a new address in another organisation's verified domain creates nothing
    Given Mel's address lies in the other organisation's verified domain
    And Mel is assigned to the app in the IdP
    When Mel signs in to the team with SSO
    Then the sign-in is refused with "foreign_domain"
    And Mel has no account
    And the team has 1 member

  @SSO-07
  Scenario: An OIDC sign-in for an account of another organisation's verified domain does not join the team
    Given Mallory's address lies in the other organisation's verified domain
    And Mallory is assigned to the app in the IdP
    When Mallory signs in to the team with SSO
    Then the sign-in is refused with "foreign_domain"
    And Mallory is not a member of the team
    And the team has 1 member
