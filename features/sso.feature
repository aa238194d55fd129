@product @control
Feature: Team authentication methods and SSO
  Single sign-on belongs to one team. Several sign-in methods can be on at once so that SSO
  can be tried without locking anyone out, and enabling SSO or SCIM removes nobody.

  @SSO-01
  Scenario: Enabling SSO on one team changes nothing on another team of the same organisation
    Given an organisation with the teams "North" and "South"
    When the admin of "North" adds an SSO method
    Then "North" has 1 SSO method
    And "South" has 0 SSO methods

  @SSO-02 @decision
  Scenario Outline: Only a verified domain can be captured (<state>)
    Given a team on the Enterprise plan with 10 licensed seats
    And the team's organisation has <state> its domain
    When the organisation captures its domain into the team
    Then <result>

    Examples:
      | state        | result                                    |
      | not verified | it is refused with "domain_not_verified"  |
      | verified     | the domain is captured into the team      |

  @SSO-02 @saml
  Scenario: Domain capture consolidates the organisation's accounts into one team
    Given a team on the Enterprise plan with 10 licensed seats
    And the team's organisation has verified its domain
    And Dan signs up with an email at the team domain
    And Dan opens the confirmation link e-mailed to him
    When the organisation captures its domain into the team
    Then Dan is an active member of the team

  @SSO-02 @PRV-10 @saml @decision
  Scenario: Domain capture does not take an address its owner never confirmed
    Given a team on the Enterprise plan with 10 licensed seats
    And Dan signs up with an email at the team domain
    When the team's organisation has verified its domain and captures it into the team
    Then Dan is not a member of the team

  @SSO-03
  Scenario: SSO can be tested beside email and password, which can be turned off afterwards
    Given a team on the Enterprise plan with 10 licensed seats
    And the team has email and password sign-in on
    When Olivia adds an SSO method
    Then the team has 2 sign-in methods on
    When Olivia turns email and password sign-in off
    Then the team has 1 sign-in method on

  @SSO-04
  Scenario: An authentication method can carry a label such as "Test"
    Given a team on the Enterprise plan with 10 licensed seats
    When Olivia adds an SSO method labelled "Test"
    Then the team has a sign-in method labelled "Test"

  @SSO-05
  Scenario: When the IdP is down an admin turns SSO off and email and password on
    Given a team on the Enterprise plan with 10 licensed seats
    And the team has 1 SSO method
    When Olivia turns the SSO method off
    And Olivia turns email and password sign-in on
    Then the team has 1 sign-in method on
    And email and password sign-in is on

  @SSO-05 @saml
  Scenario: With SSO off, members sign in with their passwords
    Given a team on the Enterprise plan with 10 licensed seats
    And Ben is a team Member with a password
    And the team has 1 SSO method
    When Ben signs in to the team with his password
    Then the sign-in is refused with "password_signin_disabled"
    When Olivia turns the SSO method off
    And Olivia turns email and password sign-in on
    And Ben signs in to the team with his password
    Then Ben is signed in to the team

  @SSO-06 @scim
  Scenario: Enabling SSO and SCIM removes no existing member
    Given a team on the Enterprise plan with 10 licensed seats
    And Ben is a team Member
    And Cleo is a team Admin
    When Olivia adds an SSO method
    And Olivia enables SCIM for the team
    Then the team has 3 members
    And Ben is an active member of the team
