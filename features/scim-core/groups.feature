@scim-core @scim
Feature: SCIM Groups (RFC 7644 3.3 to 3.6, RFC 7643 4.2)
  Groups carry a displayName and members that reference users.

  Scenario: Creating a group with a member answers 201 and lists the member
    Given the user "ada" exists
    When the client creates the group "Engineers" with "ada"
    Then the response status is 201
    And the response is a Group with displayName "Engineers" and members "ada"

  @scim-patch
  Scenario: PATCH add on members adds a member
    Given the users "ada" and "bob" exist
    And the group "Engineers" exists with "ada"
    When the client patches the group "Engineers" adding "bob"
    Then the response status is 200 or 204
    And the group "Engineers" has members "ada" and "bob"

  @scim-patch
  Scenario: PATCH remove with a value filter path removes one member
    Given the users "ada" and "bob" exist
    And the group "Engineers" exists with "ada" and "bob"
    When the client patches the group "Engineers" removing "ada" by filter path
    Then the response status is 200 or 204
    And the group "Engineers" has members "bob"

  @scim-filter
  Scenario: displayName eq finds the group
    Given the group "Engineers" exists
    When the client lists groups with filter displayName eq "Engineers"
    Then the response is a ListResponse with totalResults 1

  Scenario: DELETE removes the group
    Given the group "Engineers" exists
    When the client deletes the group "Engineers"
    Then the response status is 204
    When the client reads the group "Engineers"
    Then the response is a SCIM error with status 404

  @scim-filter
  Scenario: excludedAttributes=members leaves the members out (Entra reads groups this way)
    Given the user "ada" exists
    And the group "Engineers" exists with "ada"
    When the client lists groups with filter displayName eq "Engineers" excluding "members"
    Then the response is a ListResponse with totalResults 1
    And no listed resource has "members"
