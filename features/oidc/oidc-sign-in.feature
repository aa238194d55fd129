@product @control @oidc
Feature: Team sign-in over OpenID Connect
  Every sign-in rule holds over OpenID Connect as over SAML: the team's SSO method is an OIDC client of the
  simulated IdP (Okta's /oauth2/default), people sign in with the authorization code flow, and refusals carry
  the same stable codes. The steps are the SAML features' own.

  Background:
    Given a team on the Enterprise plan with 5 licensed seats
    And the team signs in with the simulated IdP over OpenID Connect

  @JIT-01
  Scenario: JIT disabled: an unknown person's first OIDC sign-in is refused with a plain error
    Given the SSO method has "Automatically add new users" off
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "jit_disabled"
    And Zoe has no account
    And the team has 1 member

  @JIT-02
  Scenario: JIT enabled with a free seat: the first OIDC sign-in creates the account and the membership
    Given the SSO method has "Automatically add new users" on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is accepted
    And Zoe is an active member of the team
    And Zoe has the team role Member

  @JIT-03
  Scenario: JIT enabled but no seat free
    Given the SSO method has "Automatically add new users" on
    And every seat of the team is taken
    And the team has neither Auto-Flex nor True-up on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "no_seats_available"

  @JIT-04
  Scenario: Accepting the invite with OIDC SSO makes the person a member
    Given the SSO method has "Automatically add new users" off
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe accepts the invite with SSO
    Then Zoe is an active member of the team

  @JIT-08
  Scenario: Only people assigned to the OIDC app in the IdP can sign in at all
    Given the SSO method has "Automatically add new users" on
    And Yan is known to the IdP but not assigned to the app
    When Yan starts a sign-in to the team at the service provider
    Then the IdP refuses the sign-in
    And Yan has no account
