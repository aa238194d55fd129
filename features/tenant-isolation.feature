@product @control @scim @decision
Feature: Tenant isolation of accounts
  Accounts are global and memberships belong to teams, so a person can be in the teams of several
  organisations. An organisation's identity provider speaks only for the people it owns: it never
  adopts, renames, re-addresses or signs in an account that another tenant relies on.

  Decision (idsim #16, #17): an organisation that verified an email domain owns the addresses in it,
  and no other organisation's IdP provisions, adopts or signs them in (403). A team's SCIM adopts an
  existing account only when the account already is a member of that team (SSO-07) or its address
  lies in a domain the team's organisation verified (SSO-07, PRV-10); otherwise 409 uniqueness and
  nothing is written. Names are written only by the domain's owner, or by the account's only team.
  An email changes only when both the old and the new address lie in domains the writing team's
  organisation verified (PRV-08).

  Background:
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    And another organisation with its own verified domain, an Enterprise team with SCIM on and a key held by its IdP

  @SSO-07 @PRV-08 @PRV-10
  Scenario: Another organisation's SCIM key cannot adopt a member whose domain the team's organisation verified
    Given the team's organisation has verified its domain
    And Ada is a team Super Admin
    When the other organisation's IdP provisions Ada's email with the given name "Mallory"
    Then the SCIM request is refused with status 403
    And Ada is not a member of the other team
    And Ada's account is named "Ada" "Tester"
    And Ada has the team role Super Admin

  @SSO-07 @PRV-08
  Scenario: Another organisation's SCIM key cannot adopt a member whose domain nobody verified
    Given Ada is a team Super Admin
    When the other organisation's IdP provisions Ada's email with the given name "Mallory"
    Then the SCIM request is refused with status 409 and scimType "uniqueness"
    And Ada is not a member of the other team
    And Ada's account is named "Ada" "Tester"

  @SSO-07 @PRV-01
  Scenario: One team's SCIM does not rewrite a person another organisation's team provisioned
    Given the IdP has provisioned Ana
    When the other organisation's IdP provisions Ana's email with the given name "A"
    Then the SCIM request is refused with status 409 and scimType "uniqueness"
    And Ana is not a member of the other team
    And Ana's account is named "Ana" "Tester"
    And Ana's SCIM resource in the team is named "Ana"
