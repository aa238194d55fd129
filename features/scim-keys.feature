@product @control @scim
Feature: Enabling SCIM and SCIM API keys
  A team admin turns on SCIM provisioning and gives the identity provider an API key.
  Keys exist only for Enterprise teams that have exactly one single sign-on method,
  and only team admins may create them.

  @KEY-01
  Scenario Outline: Only Enterprise teams can generate a SCIM API key (<plan>)
    Given a team on the <plan> plan with 10 licensed seats
    And the team has 1 SSO method
    When Olivia generates a SCIM API key
    Then key generation <result>

    Examples:
      | plan         | result                                 |
      | Free         | is refused with "plan_not_eligible"    |
      | Basic        | is refused with "plan_not_eligible"    |
      | Professional | is refused with "plan_not_eligible"    |
      | Enterprise   | succeeds                               |

  @KEY-02
  Scenario Outline: A SCIM API key needs exactly one SSO method (<methods> configured)
    Given a team on the Enterprise plan with 10 licensed seats
    And the team has <methods> SSO methods
    When Olivia generates a SCIM API key
    Then key generation <result>

    Examples:
      | methods | result                                |
      | 0       | is refused with "sso_method_count"    |
      | 1       | succeeds                              |
      | 2       | is refused with "sso_method_count"    |

  @KEY-02 @decision
  Scenario: Email and password sign-in does not count as an SSO method
    Given a team on the Enterprise plan with 10 licensed seats
    And the team has email and password sign-in on
    And the team has 1 SSO method
    When Olivia generates a SCIM API key
    Then key generation succeeds

  @KEY-03
  Scenario Outline: Only an Admin or Super Admin can enable SCIM and generate a key (<role>)
    Given a team on the Enterprise plan with 10 licensed seats
    And the team has 1 SSO method
    And Ben is a team <role>
    When Ben enables SCIM for the team
    Then <enable result>
    When Ben generates a SCIM API key
    Then key generation <key result>

    Examples:
      | role        | enable result                        | key result                    |
      | Super Admin | SCIM is enabled for the team         | succeeds                      |
      | Admin       | SCIM is enabled for the team         | succeeds                      |
      | Member      | it is refused with "forbidden"       | is refused with "forbidden"   |
      | Guest       | it is refused with "forbidden"       | is refused with "forbidden"   |

  @KEY-04
  Scenario: The IdP's "Test API Credentials" succeeds with an active key
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    When the IdP tests its API credentials
    Then the credentials test succeeds

  @KEY-04 @decision
  Scenario Outline: The IdP's "Test API Credentials" fails when <reason>
    Given an Enterprise team with SCIM enabled and an API key held by the IdP
    When <change>
    And the IdP tests its API credentials
    Then the credentials test fails

    Examples:
      | reason                            | change                                   |
      | SCIM is not enabled for the team  | Olivia disables SCIM for the team        |
      | the key is wrong                  | the IdP's key is replaced by a wrong one |
      | the key has been revoked          | Olivia revokes the IdP's key             |
