@product @control @scim
Feature: Groups pushed from the identity provider
  The identity provider pushes groups into the team, either as new groups or linked to an
  existing empty team group, and keeps their membership up to date. Team members can then
  invite a pushed group to their workspaces.

  Background:
    Given an Enterprise team with SCIM enabled and an API key held by the IdP

  @GRP-01 @decision
  Scenario: A group whose members were not provisioned first is refused and nothing is stored
    Given the IdP has provisioned Ana
    When the IdP pushes group "Design" with Ana and a member the team has never seen
    Then the SCIM request is refused with status 400 and scimType "invalidValue"
    And the team has no group "Design"

  @GRP-02
  Scenario: Pushing a group with "create" makes a new team group with the pushed membership
    Given the IdP has provisioned Ana
    And the IdP has provisioned Ben
    When the IdP pushes group "Design" with Ana and Ben
    Then the SCIM request succeeds with status 201
    And the team group "Design" has members Ana and Ben

  @GRP-03
  Scenario: Pushing a group with "link" joins an empty team group and renames it
    Given the IdP has provisioned Ana
    And Olivia creates the team group "Product design"
    When the IdP links its group "Designers" with Ana to the team group "Product design"
    Then the team group "Designers" has members Ana
    And the team has no group "Product design"

  @GRP-03 @decision
  Scenario: Only team groups without members can be chosen for "link"
    Given the IdP has provisioned Ana
    And Olivia creates the team group "Product design" with Ana in it
    When the IdP tries to link its group "Designers" to the team group "Product design"
    Then the SCIM request is refused with status 409
    And the team group "Product design" has members Ana
    And the team has no group "Designers"

  @GRP-04
  Scenario: Membership changes in the IdP reach the team at once
    Given the IdP has provisioned Ana
    And the IdP has provisioned Ben
    And the IdP has pushed group "Design" with Ana
    When the IdP adds Ben to group "Design"
    And the IdP removes Ana from group "Design"
    Then the team group "Design" has members Ben

  @GRP-05
  Scenario: Team members can invite a pushed group to their workspaces
    Given the IdP has provisioned Ana
    And the IdP has provisioned Ben
    And the IdP has pushed group "Design" with Ben
    And Ana owns an internal workspace "Mockups"
    When Ana invites the group "Design" to workspace "Mockups" as Editor
    Then Ben has Editor access to workspace "Mockups"

  @GRP-06
  Scenario: The IdP can read group information back from the team
    Given the IdP has provisioned Ana
    And the IdP has pushed group "Design" with Ana
    When the IdP reads its groups from the team
    Then the IdP sees group "Design" with members Ana
