@product @control @scim @oidc
Feature: Deactivation and removal when the team signs in over OpenID Connect
  The team's only SSO method is an OIDC client (KEY-02 counts it, so SCIM keys can be made); SCIM lifecycle
  changes then decide OIDC sign-ins exactly as SAML ones.

  Background:
    Given a team on the Enterprise plan with 10 licensed seats
    And the team signs in with the simulated IdP over OpenID Connect
    And SCIM is on with an API key held by the IdP

  @DEA-01
  Scenario: A deactivated user cannot sign in to the team's context over OIDC
    Given the IdP has provisioned Ana
    When the IdP deactivates Ana
    And Ana signs in to the team with SSO
    Then the sign-in is refused with "not_a_member"

  @DEA-02
  Scenario: A deactivated user can still sign in with a password to a personal context
    Given Ben is a team Member with a password
    And the IdP has provisioned Ben
    When the IdP deactivates Ben
    And Ben signs in with his password
    Then Ben lands in his personal context

  @REM-02
  Scenario: A removed user cannot sign in to the same team over OIDC
    Given the IdP has provisioned Ana
    When Olivia removes Ana from the team handing her workspaces to Olivia
    And Ana signs in to the team with SSO
    Then the sign-in is refused with "not_a_member"

  @SSO-07
  Scenario: A member who existed before SCIM is managed by SCIM and signs in over OIDC as the same account
    Given Ben is a team Member
    When the IdP provisions Ben with the email in upper case
    Then Ben is managed by SCIM
    When Ben is assigned to the app in the IdP
    And Ben signs in to the team with SSO
    Then the sign-in is accepted
    And Ben is an active member of the team
    And the team has 2 members
