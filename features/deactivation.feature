@product @control @scim
Feature: Deactivation, reactivation and removal
  When the identity provider unassigns a person, the person leaves the team's context but
  their workspaces stay with the team. Coming back does not bring back shared access.
  Removing someone by hand needs their workspaces handed to an admin first.

  Background:
    Given an Enterprise team with SCIM enabled and an API key held by the IdP

  @DEA-01 @decision
  Scenario: Deactivation takes the user out of the team and frees the seat
    Given the IdP has provisioned Ana
    When the IdP deactivates Ana
    Then Ana's membership is deactivated
    And Ana's seat is free again
    And the IdP can still read Ana with active false

  @DEA-01 @saml
  Scenario: A deactivated user cannot sign in to the team's context
    Given the IdP has provisioned Ana
    When the IdP deactivates Ana
    And Ana signs in to the team with SSO
    Then the sign-in is refused with "not_a_member"

  @DEA-02 @saml
  Scenario: A deactivated user can still sign in with a password to a personal context
    Given Ben is a team Member with a password
    And the IdP has provisioned Ben
    When the IdP deactivates Ben
    And Ben signs in with his password
    Then Ben lands in his personal context

  Scenario Outline: A <type> workspace whose only member is deactivated stays <type>, and the team becomes its admin
    Given the IdP has provisioned Ana
    And Ana owns a <type> workspace "Roadmap"
    When the IdP deactivates Ana
    Then workspace "Roadmap" is still <type>
    And the team is the admin of workspace "Roadmap"

    @DEA-03
    Examples: internal
      | type     |
      | internal |

    @DEA-04
    Examples: public
      | type   |
      | public |

    @DEA-05
    Examples: partner
      | type    |
      | partner |

  @DEA-06
  Scenario Outline: Other members who hold <role> are not promoted
    Given the IdP has provisioned Ana
    And the IdP has provisioned Ben
    And Ana owns an internal workspace "Roadmap"
    And Ben holds <role> on workspace "Roadmap"
    When the IdP deactivates Ana
    Then Ben has <role> access to workspace "Roadmap"

    Examples:
      | role   |
      | Viewer |
      | Editor |

  @DEA-07
  Scenario: On reactivation the user regains their own workspaces
    Given the IdP has provisioned Ana
    And Ana owns a private workspace "Notes"
    When the IdP deactivates Ana
    And the IdP reactivates Ana
    Then Ana is an active member of the team
    And Ana has Admin access to workspace "Notes"

  @DEA-08
  Scenario Outline: Reactivation does not restore access to a shared <type> workspace, not even read
    Given the IdP has provisioned Ana
    And Olivia owns a <type> workspace "Plans"
    And Ana holds <role> on workspace "Plans"
    When the IdP deactivates Ana
    And the IdP reactivates Ana
    Then Ana has no access to workspace "Plans"

    Examples:
      | type    | role   |
      | private | Admin  |
      | private | Editor |
      | partner | Admin  |
      | partner | Editor |

  @DEA-09
  Scenario Outline: After reactivation a former <role> of a <type> workspace has the access of any member
    Given the IdP has provisioned Ana
    And the IdP has provisioned Ben
    And Olivia owns a <type> workspace "Handbook"
    And Ana holds <role> on workspace "Handbook"
    When the IdP deactivates Ana
    And the IdP reactivates Ana
    Then Ana has the same access to workspace "Handbook" as Ben

    Examples:
      | type     | role   |
      | public   | Admin  |
      | public   | Editor |
      | internal | Admin  |
      | internal | Editor |

  @REM-01 @decision
  Scenario: Removal is refused until a hand-over admin is named
    Given the IdP has provisioned Ana
    And Ana owns an internal workspace "Roadmap"
    When Olivia removes Ana from the team without naming a hand-over
    Then it is refused with "handover_required"
    And Ana is an active member of the team

  @REM-01
  Scenario: Removing a user hands their workspaces to an admin and removes all their access
    Given the IdP has provisioned Ana
    And Ana owns an internal workspace "Roadmap"
    And Olivia owns an internal workspace "Budget"
    And Ana holds Editor on workspace "Budget"
    When Olivia removes Ana from the team handing her workspaces to Olivia
    Then Ana is no longer a member
    And Ana has no access to any team workspace
    And Olivia has Admin access to workspace "Roadmap"

  @REM-02 @saml
  Scenario: A removed user cannot sign in to the same team
    Given the IdP has provisioned Ana
    When Olivia removes Ana from the team handing her workspaces to Olivia
    And Ana signs in to the team with SSO
    Then the sign-in is refused with "not_a_member"

  @REM-02 @saml
  Scenario: A removed user can still sign in with a password to a personal context
    Given Ben is a team Member with a password
    When Olivia removes Ben from the team handing his workspaces to Olivia
    And Ben signs in with his password
    Then Ben lands in his personal context

  @REM-03
  Scenario: Adding a removed user back restores no access
    Given the IdP has provisioned Ana
    And Olivia owns an internal workspace "Budget"
    And Ana holds Editor on workspace "Budget"
    When Olivia removes Ana from the team handing her workspaces to Olivia
    And Olivia adds Ana back to the team as a Member
    Then Ana has no access to workspace "Budget"
