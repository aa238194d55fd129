@scim-core @scim
Feature: SCIM filtering and paging (RFC 7644 3.4.2)
  Clients find users with filters and read long lists page by page.

  @scim-filter
  Scenario: userName eq finds the one user, ignoring case (RFC 7643 2.2: userName is not case-exact)
    Given the user "ada" exists
    When the client lists users with filter userName eq the upper-cased userName of "ada"
    Then the response is a ListResponse with totalResults 1
    And the list holds the user "ada"

  @scim-filter
  Scenario: A filter that matches nobody answers 200 with totalResults 0
    When the client lists users with filter userName eq "nobody-at-all@nowhere.example"
    Then the response is a ListResponse with totalResults 0

  @scim-filter
  Scenario: An invalid filter is refused with 400 invalidFilter
    When the client lists users with the raw filter "userName eq"
    Then the response is a SCIM error with status 400 and scimType "invalidFilter"

  Scenario: startIndex and count page through the results
    Given the users "ada", "bob" and "cy" exist
    When the client lists users with startIndex 1 and count 2
    Then the response is a ListResponse with 2 resources, startIndex 1 and itemsPerPage 2
    And the totalResults is at least 3

  Scenario: count=0 answers only the total (RFC 7644 3.4.2.4)
    Given the user "ada" exists
    When the client lists users with startIndex 1 and count 0
    Then the response is a ListResponse with 0 resources
    And the totalResults is at least 1

  @scim-filter
  Scenario: Two conditions joined by "and" narrow the result (the only combination Entra sends)
    Given the users "ada" and "bob" exist
    When the client lists users with filter userName eq the userName of "ada" and active eq true
    Then the response is a ListResponse with totalResults 1
    And the list holds the user "ada"

  @scim-filter
  Scenario: attributes=userName returns userName and id only (RFC 7644 3.4.2.5)
    Given the user "ada" exists
    When the client lists users with filter userName eq the userName of "ada" and attributes "userName"
    Then every listed resource has an id and a userName and no name
