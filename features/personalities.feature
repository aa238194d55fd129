@product @control @scim @personalities
Feature: Every IdP personality provisions into the team
  Teams that sell to enterprises meet more IdPs than Okta. Each IdP personality of the
  simulator (OneLogin, JumpCloud, Rippling, PingFederate, Microsoft Entra ID and Okta)
  runs its own connection test, creates, updates, groups and deactivates people with its
  own request shapes, and the team ends up the same. The full provisioning features run
  as one IdP with `idsim conformance --idp <name>`.

  Background:
    Given an Enterprise team with SCIM enabled and an API key held by the IdP

  @OKT-03 @PRV-01 @PRV-03 @DEA-01 @GRP-02 @GRP-04 @GRP-06 @KEY-04
  Scenario Outline: <idp> provisions, updates, groups and deactivates people
    Given the IdP is "<idp>"
    When the IdP tests its API credentials
    Then the credentials test succeeds
    When the IdP provisions Ana
    Then the SCIM request succeeds with status 201
    And Ana is an active member of the team
    And Ana's account email is her SCIM userName
    When the IdP renames Ana to "Anna" "Lind"
    Then Ana's account is named "Anna" "Lind"
    Given the IdP has provisioned Ben
    When the IdP pushes group "Design" with Ana and Ben
    Then the team group "Design" has members Ana and Ben
    When the IdP removes Ana from group "Design"
    Then the team group "Design" has members Ben
    When the IdP reads its groups from the team
    Then the IdP sees group "Design" with members Ben
    When the IdP deactivates Ana
    Then Ana's membership is deactivated
    And Ana's seat is free again
    And the IdP can still read Ana with active false
    When the IdP reactivates Ana
    Then Ana is an active member of the team

    Examples:
      | idp                |
      | Okta               |
      | Microsoft Entra ID |
      | OneLogin           |
      | JumpCloud          |
      | Rippling           |
      | PingFederate       |

  @saml @DEA-01
  Scenario Outline: <idp> signs a provisioned person in with its own SAML profile
    Given the IdP is "<idp>"
    And the IdP has provisioned Ana
    When Ana signs in to the team with SSO
    Then the sign-in is accepted
    When the IdP deactivates Ana
    And Ana signs in to the team with SSO
    Then the sign-in is refused with "not_a_member"

    Examples:
      | idp                |
      | Okta               |
      | Microsoft Entra ID |
      | OneLogin           |
      | JumpCloud          |
      | PingFederate       |

  @saml @decision
  Scenario: Rippling's IdP-initiated Response names a request the team never sent, so the team refuses it
    Given the IdP is "Rippling"
    And the IdP has provisioned Ana
    When Ana signs in to the team with SSO
    Then the sign-in is refused with "in_response_to_mismatch"
