@product @control @scim
Feature: SCIM provisioning semantics
  When the identity provider provisions people into an Enterprise team, the email is what
  ties a person to an account, only names and status are taken over, and SCIM-managed
  members can no longer change what the identity provider owns.

  Background:
    Given an Enterprise team with SCIM enabled and an API key held by the IdP

  @PRV-01 @decision
  Scenario: The email is the key that maps a provisioned user to an account
    When the IdP provisions Ana
    Then Ana is an active member of the team
    And Ana's account email is her SCIM userName

  @PRV-01 @SSO-07 @decision
  Scenario: A member who existed before SCIM becomes SCIM-managed when the IdP provisions the same email
    Given Ben is a team Member
    When the IdP provisions Ben with the email in upper case
    Then Ben is an active member of the team
    And Ben is managed by SCIM
    And the team has 2 members

  @PRV-02 @decision
  Scenario Outline: A provisioning request must carry <attribute>
    When the IdP provisions Ana without <attribute>
    Then the SCIM request is refused with status 400 and scimType "invalidValue"
    And Ana has no account

    Examples:
      | attribute        |
      | a given name     |
      | a family name    |
      | an active status |

  @PRV-02 @decision
  Scenario: Names may be blank
    When the IdP provisions Ana with blank names
    Then the SCIM request succeeds with status 201
    And Ana is an active member of the team

  @PRV-03
  Scenario: The IdP creates, updates and deactivates users
    When the IdP provisions Ana
    And the IdP renames Ana to "Anna" "Lind"
    Then Ana's account is named "Anna" "Lind"
    When the IdP deactivates Ana
    Then Ana's membership is deactivated

  @PRV-03 @decision
  Scenario: Password sync is not supported
    When the IdP provisions Ana with a password
    Then the SCIM request is refused with status 400
    And Ana has no account

  @PRV-04 @decision
  Scenario: Attributes other than username and names are accepted and never stored
    When the IdP provisions Ana with a title "Chief Tester" and a phone number
    Then the SCIM request succeeds with status 201
    And Ana's SCIM resource has no title and no phone number

  @PRV-05
  Scenario: With SCIM enabled, a member cannot leave the team on their own
    Given the IdP has provisioned Ana
    When Ana tries to leave the team
    Then it is refused with "managed_by_scim"
    And Ana is an active member of the team

  @PRV-06
  Scenario Outline: With SCIM enabled, a member cannot change their <what>
    Given the IdP has provisioned Ana
    When Ana tries to change her <what>
    Then it is refused with "managed_by_scim"

    Examples:
      | what     |
      | email    |
      | password |

  @PRV-07
  Scenario Outline: Only team admins can remove members (<role>)
    Given the IdP has provisioned Ana
    And Ben is a team <role>
    When Ben removes Ana from the team handing her workspaces to Olivia
    Then <result>

    Examples:
      | role        | result                              |
      | Member      | it is refused with "forbidden"      |
      | Guest       | it is refused with "forbidden"      |
      | Admin       | Ana is no longer a member           |
      | Super Admin | Ana is no longer a member           |

  @PRV-08
  Scenario: The IdP can change a member's email within a verified domain
    Given the team's organisation has verified its domain
    And the IdP has provisioned Ana
    When the IdP changes Ana's email to "ana.lind" at the team domain
    Then the SCIM request succeeds with status 200
    And Ana's account email is "ana.lind" at the team domain

  @PRV-08 @decision
  Scenario: The IdP cannot move a member's email outside the verified domains
    Given the team's organisation has verified its domain
    And the IdP has provisioned Ana
    When the IdP changes Ana's email to "ana@elsewhere.example"
    Then the SCIM request is refused with status 400 and scimType "invalidValue"

  @PRV-09 @decision
  Scenario: Provisioning fails once every seat is taken
    Given every seat of the team is taken
    When the IdP provisions Ana
    Then the SCIM request is refused with status 403 and detail "no seats available"
    And Ana has no account

  @PRV-09
  Scenario Outline: With <option> on, provisioning goes past the licensed seats
    Given every seat of the team is taken
    And the team has <option> on
    When the IdP provisions Ana
    Then the SCIM request succeeds with status 201
    And Ana is an active member of the team

    Examples:
      | option    |
      | Auto-Flex |
      | True-up   |

  @PRV-10 @saml
  Scenario: A verified, captured domain adds new users of that domain to the team
    Given the team's organisation has verified its domain and captures it into the team
    When Dan signs up with an email at the team domain
    Then Dan's sign-up waits for the e-mailed confirmation
    And Dan is not a member of the team
    When Dan opens the confirmation link e-mailed to him
    Then Dan is signed in to the team
    And Dan is an active member of the team

  @PRV-10 @saml @decision
  Scenario: A sign-up confirmation link works once
    Given the team's organisation has verified its domain and captures it into the team
    When Dan signs up with an email at the team domain
    And Dan opens the confirmation link e-mailed to him
    And Dan opens the same confirmation link again
    Then the sign-in is refused with "confirmation_invalid"
    And Dan is an active member of the team
