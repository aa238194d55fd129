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

  @JIT-06
  Scenario: An existing account links to OIDC SSO only with the account's own password
    Given Zoe has an account with a password
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe opens the invite, chooses SSO and enters the wrong account password
    Then nothing is linked
    When Zoe enters the right account password
    Then Zoe is an active member of the team

  @JIT-07
  Scenario: A person who forgot the account password resets it and then links over OIDC
    Given Zoe has an account with a password
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe resets her password and links with the new one
    Then Zoe is an active member of the team

  @JIT-09
  Scenario: With domain capture on, JIT over OIDC behaves the same way
    Given the team's organisation has verified its domain and captures it into the team
    And the SSO method has "Automatically add new users" off
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "jit_disabled"

  @JIT-10
  Scenario: An account created by JIT over OIDC has no password
    Given the SSO method has "Automatically add new users" on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then Zoe's account has no password

  @SSO-05
  Scenario: With the OIDC method off, OIDC sign-in is refused and members sign in with their passwords
    Given Ben is a team Member with a password
    And Zoe is assigned to the app in the IdP
    When Ben signs in to the team with his password
    Then the sign-in is refused with "password_signin_disabled"
    When Olivia turns the SSO method off
    And Olivia turns email and password sign-in on
    And Ben signs in to the team with his password
    Then Ben is signed in to the team
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "auth_method_disabled"
