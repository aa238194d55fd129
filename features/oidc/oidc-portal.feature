@product @control @oidc
Feature: Organisation login portal over OpenID Connect
  The portal's SSO method is an OIDC client of the simulated IdP; the portal rules (ORG-02..06) hold as over SAML,
  and "not authenticated recently" sends the person back with prompt=login (OIDC's ForceAuthn).

  Background:
    Given organisation portals sign in with the simulated IdP over OpenID Connect

  @ORG-02
  Scenario: An assigned person without an account gets one named firstname-lastname
    Given an organisation "acme" with portal JIT on
    And Zoe Quinn is assigned to the app in the IdP
    And another account is already named "zoe-quinn"
    When Zoe follows the portal link
    Then Zoe has an account named "zoe-quinn-2" with no password
    And Zoe is a member of the organisation

  @ORG-03
  Scenario: A member who signed in to the IdP recently lands on the organisation's home page
    Given an organisation "acme" with portal JIT on
    And Zoe is a member of the organisation who signed in to the IdP 2 hours ago
    When Zoe follows the portal link
    Then Zoe lands on the organisation's home page without signing in again

  @ORG-04
  Scenario: A member without a recent IdP session signs in at the IdP first
    Given an organisation "acme" with portal JIT on
    And Zoe is a member of the organisation who signed in to the IdP 9 hours ago
    When Zoe follows the portal link
    Then Zoe is sent to the IdP's login and then lands on the organisation's home page

  @ORG-05
  Scenario: An account that is not a member is signed in to the personal home page only
    Given an organisation "acme" with portal JIT on
    And Zoe has an account but is not a member of the organisation
    And Zoe is assigned to the app in the IdP
    When Zoe follows the portal link
    Then Zoe lands on her personal home page
    And Zoe is not a member of the organisation

  @ORG-06
  Scenario: A person not assigned in the IdP is refused until assigned
    Given an organisation "acme" with portal JIT on
    And Yan is known to the IdP but not assigned to the app
    When Yan follows the portal link
    Then the IdP refuses the sign-in
    And Yan has no account
    When the IdP admin assigns the app to Yan
    And Yan follows the portal link
    Then Yan is a member of the organisation

  @ORG-01
  Scenario: With portal JIT on, the organisation's login page offers its OIDC SSO
    Given an organisation "acme" with portal JIT on
    And Zoe Quinn is assigned to the app in the IdP
    Then the page "/acme/login" offers SSO sign-in
    When Zoe follows the portal link
    Then the sign-in went through the OpenID provider
    And Zoe is a member of the organisation

  @ORG-07
  Scenario: A private instance's portal admits new people over OIDC though nobody turned portal JIT on
    When an organisation "vault" is created as a private instance
    And Zoe Quinn is assigned to the app in the IdP
    And Zoe follows the portal link
    Then the sign-in went through the OpenID provider
    And Zoe has an account named "zoe-quinn" with no password
    And Zoe is a member of the organisation

  @ORG-08
  Scenario Outline: Portal JIT over OIDC adds new people with the configured default permission (<permission>)
    Given an organisation "acme" with portal JIT on
    And the organisation sets the portal's default permission to <permission>
    And Zoe Quinn is assigned to the app in the IdP
    When Zoe follows the portal link
    Then Zoe is a member of the organisation with the permission <permission>

    Examples:
      | permission  |
      | member      |
      | contributor |
      | admin       |
