@product @scim
Feature: IdP application set-up
  The identity provider's provisioning integration needs only the team's SCIM base URL and
  an API key sent in a header, and maps just the username and the names.

  @OKT-01 @control @decision
  Scenario: The provisioning integration uses the /scim/v2 base URL and a bearer key in a header
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    Then the team's SCIM base URL ends with "/scim/v2"
    And a request with the key in the Authorization header succeeds
    And a request without the header is refused with status 401

  @OKT-02 @control
  Scenario: The attribute mapping holds only username, given name and family name
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    When the IdP provisions Ana with a title "Chief Tester" and a phone number
    Then Ana's SCIM resource has no title and no phone number
    And Ana's SCIM resource carries her username, given name and family name

  @OKT-03 @control
  Scenario: Assigning provisions, unassigning deprovisions
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    When the IdP provisions Ana
    Then Ana is an active member of the team
    When the IdP deactivates Ana
    Then Ana's membership is deactivated

  @OKT-04 @control @decision
  Scenario Outline: Both IdP apps provision the same way (<app>)
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    When the IdP's <app> app provisions Ana
    And the IdP's <app> app deactivates Ana
    Then Ana's membership is deactivated

    Examples:
      | app                       |
      | catalogue                 |
      | generic SCIM 2.0 test     |
