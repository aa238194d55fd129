@scim-core @scim
Feature: SCIM Users (RFC 7644 3.3 to 3.6)
  Any SCIM 2.0 service provider creates, reads, replaces, patches and deletes User resources
  the way RFC 7644 says. These scenarios need no product knowledge.

  Scenario: Creating a user answers 201 with the full resource and its location
    When the client creates the user "ada"
    Then the response status is 201
    And the response is a User resource with userName "ada"
    And the response has an id, meta.resourceType "User" and a meta.location ending with its id

  Scenario: A created user can be read back by id
    Given the user "ada" exists
    When the client reads the user "ada"
    Then the response status is 200
    And the response is a User resource with userName "ada"

  Scenario: A duplicate userName is refused with 409 uniqueness
    Given the user "ada" exists
    When the client creates the user "ada"
    Then the response is a SCIM error with status 409 and scimType "uniqueness"

  Scenario: PUT replaces the user's attributes
    Given the user "ada" exists
    When the client replaces the user "ada" with given name "Augusta" and family name "King"
    Then the response status is 200
    And the response has name.givenName "Augusta" and name.familyName "King"

  @scim-patch
  Scenario: PATCH replace without a path deactivates the user, who stays readable
    Given the user "ada" exists
    When the client patches the user "ada" with replace of value {"active": false}
    Then the response status is 200 or 204
    When the client reads the user "ada"
    Then the response has active false

  @scim-patch
  Scenario: PATCH replace with a path changes one sub-attribute
    Given the user "ada" exists
    When the client patches the user "ada" with replace at "name.givenName" of value "Augusta"
    Then the response status is 200 or 204
    When the client reads the user "ada"
    Then the response has name.givenName "Augusta"

  @scim-patch
  Scenario: PATCH with a value filter path changes the matching email (Entra form)
    Given the user "ada" exists with a work email
    When the client patches the user "ada" with replace at "emails[type eq \"work\"].value" of a new email
    Then the response status is 200 or 204

  Scenario: DELETE removes the user; reading it again is 404
    Given the user "ada" exists
    When the client deletes the user "ada"
    Then the response status is 204
    When the client reads the user "ada"
    Then the response is a SCIM error with status 404

  Scenario: An unknown id is 404 with the Error schema
    When the client reads a user that does not exist
    Then the response is a SCIM error with status 404
