@scim-core @scim
Feature: SCIM versions, preconditions and errors (RFC 7644 3.12, 3.14)
  Resources carry versions as ETags; a stale If-Match is refused; every error uses the
  Error schema with a string status.

  @scim-etag
  Scenario: A resource's ETag header matches meta.version
    Given the user "ada" exists
    When the client reads the user "ada"
    Then the response has an ETag header equal to meta.version

  @scim-etag
  Scenario: A replace with a stale If-Match is refused with 412
    Given the user "ada" exists
    And the client remembers the version of "ada"
    And the user "ada" was changed since
    When the client replaces the user "ada" with the remembered version in If-Match
    Then the response is a SCIM error with status 412

  Scenario: A request without credentials is refused with 401
    When the client lists users without credentials
    Then the response status is 401

  Scenario: A request with a wrong key is refused with 401
    When the client lists users with a wrong key
    Then the response status is 401

  Scenario: A user without userName is refused with 400
    When the client creates a user without userName
    Then the response is a SCIM error with status 400
