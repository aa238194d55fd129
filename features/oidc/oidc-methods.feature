@product @control @oidc
Feature: Team SSO methods over OpenID Connect
  An OIDC method is an SSO method like a SAML one: it belongs to one team, sits beside email and password, carries
  a label, and only an Admin changes its JIT setting. The steps are the SAML features' own (sso.feature, jit.feature).

  Background:
    Given a team on the Enterprise plan with 5 licensed seats

  @SSO-01
  Scenario: An OIDC method on one team changes nothing on another team of the same organisation
    Given another team "South" of the team's organisation, where Ben signs in with his password
    When Olivia adds an OIDC SSO method
    And the SSO method has "Automatically add new users" on
    And Zoe is assigned to the app in the IdP
    And Zoe signs in to the team with SSO
    Then the sign-in is accepted
    And "South" has 0 SSO methods
    When Ben signs in to "South" with his password
    Then the sign-in is accepted
    And Zoe is not a member of "South"

  @SSO-03
  Scenario: OIDC SSO is tested beside email and password, which is turned off afterwards
    Given the team has email and password sign-in on
    And Ben is a team Member with a password
    When Olivia adds an OIDC SSO method
    Then the team has 2 sign-in methods on
    When Ben signs in to the team with his password
    Then Ben is signed in to the team
    When Ben is assigned to the app in the IdP
    And Ben signs in to the team with SSO
    Then the sign-in is accepted
    When Olivia turns email and password sign-in off
    Then the team has 1 sign-in method on
    When Ben signs in to the team with his password
    Then the sign-in is refused with "password_signin_disabled"
    When Ben signs in to the team with SSO
    Then the sign-in is accepted

  @SSO-04
  Scenario: An OIDC method carries a label such as "Test", shown on the team's sign-in page
    When Olivia adds an OIDC SSO method labelled "Test"
    Then the team has a sign-in method labelled "Test"
    And the team's sign-in page offers SSO labelled "Test"

  @SSO-06 @scim
  Scenario: Enabling OIDC SSO and SCIM removes no existing member, who then signs in over OIDC
    Given Ben is a team Member
    And Cleo is a team Admin
    When Olivia adds an OIDC SSO method
    And Olivia enables SCIM for the team
    Then the team has 3 members
    And Ben is an active member of the team
    When Ben is assigned to the app in the IdP
    And Ben signs in to the team with SSO
    Then the sign-in is accepted
    And Ben has the team role Member

  @JIT-05 @decision
  Scenario Outline: Only a team admin can change "Automatically add new users" on an OIDC method (<role>)
    Given the team signs in with the simulated IdP over OpenID Connect
    And the SSO method has "Automatically add new users" off
    And Ben is a team <role>
    When Ben turns "Automatically add new users" on
    Then <result>

    Examples:
      | role        | result                                          |
      | Member      | it is refused with "forbidden"                  |
      | Guest       | it is refused with "forbidden"                  |
      | Admin       | "Automatically add new users" is on             |
      | Super Admin | "Automatically add new users" is on             |

  @JIT-05
  Scenario: A refused change leaves the OIDC method's setting as it was, and sign-ins follow it
    Given the team signs in with the simulated IdP over OpenID Connect
    And the SSO method has "Automatically add new users" off
    And Ben is a team Member
    When Ben turns "Automatically add new users" on
    Then it is refused with "forbidden"
    And "Automatically add new users" is off
    When Zoe is assigned to the app in the IdP
    And Zoe signs in to the team with SSO
    Then the sign-in is refused with "jit_disabled"
