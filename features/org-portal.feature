@product @control
Feature: Organisation login portal JIT (a second product)
  With portal JIT on, an organisation gets its own SSO login page. Assigned people without an
  account get one on their first visit; people who are not members are not made members.

  @ORG-01 @saml
  Scenario: With portal JIT on, the organisation has an SSO login page
    Given an organisation "acme" with portal JIT on
    Then the page "/acme/login" offers SSO sign-in

  @ORG-02 @saml @decision
  Scenario: An assigned person without an account gets one named firstname-lastname
    Given an organisation "acme" with portal JIT on
    And Zoe Quinn is assigned to the app in the IdP
    And another account is already named "zoe-quinn"
    When Zoe follows the portal link
    Then Zoe has an account named "zoe-quinn-2" with no password
    And Zoe is a member of the organisation

  @ORG-03 @saml @decision
  Scenario: A member who signed in to the IdP recently lands on the organisation's home page
    Given an organisation "acme" with portal JIT on
    And Zoe is a member of the organisation who signed in to the IdP 2 hours ago
    When Zoe follows the portal link
    Then Zoe lands on the organisation's home page without signing in again

  @ORG-04 @saml
  Scenario: A member without a recent IdP session signs in at the IdP first
    Given an organisation "acme" with portal JIT on
    And Zoe is a member of the organisation who signed in to the IdP 9 hours ago
    When Zoe follows the portal link
    Then Zoe is sent to the IdP's login and then lands on the organisation's home page

  @ORG-05 @saml
  Scenario: An account that is not a member is signed in to the personal home page only
    Given an organisation "acme" with portal JIT on
    And Zoe has an account but is not a member of the organisation
    And Zoe is assigned to the app in the IdP
    When Zoe follows the portal link
    Then Zoe lands on her personal home page
    And Zoe is not a member of the organisation

  @ORG-06 @saml
  Scenario: A person not assigned in the IdP is refused until assigned
    Given an organisation "acme" with portal JIT on
    And Yan is known to the IdP but not assigned to the app
    When Yan follows the portal link
    Then the IdP refuses the sign-in
    And Yan has no account
    When the IdP admin assigns the app to Yan
    And Yan follows the portal link
    Then Yan is a member of the organisation

  @ORG-07
  Scenario: Portal JIT is always on for private instances
    When an organisation "vault" is created as a private instance
    Then the portal JIT of "vault" is on

  @ORG-08
  Scenario Outline: Portal JIT adds new users with the configured default permission (<permission>)
    Given an organisation "acme" with portal JIT on
    When the organisation sets the portal's default permission to <permission>
    Then the portal's default permission is <permission>

    Examples:
      | permission  |
      | member      |
      | contributor |
      | admin       |
