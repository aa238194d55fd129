@product @control
Feature: Just-in-time provisioning on a team
  With "Automatically add new users" on, a person's first SSO sign-in creates their account
  and membership. With it off, only invited people get in, and everyone else is told plainly
  that they need an invite.

  Background:
    Given a team on the Enterprise plan with 5 licensed seats
    And the team signs in with the simulated IdP

  @JIT-01 @decision @saml
  Scenario: JIT disabled: an unknown person's first SSO sign-in is refused with a plain error
    Given the SSO method has "Automatically add new users" off
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "jit_disabled"
    And the refusal tells Zoe to be invited because JIT provisioning is not enabled
    And Zoe has no account
    And the team has 1 member

  @JIT-02 @decision @saml
  Scenario: JIT enabled with a free seat: the first SSO sign-in creates the account and the membership
    Given the SSO method has "Automatically add new users" on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is accepted
    And Zoe is an active member of the team
    And Zoe has the team role Member

  @JIT-03 @decision @saml
  Scenario Outline: JIT enabled but no seat free (<option>)
    Given the SSO method has "Automatically add new users" on
    And every seat of the team is taken
    And the team has <option> on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then <result>

    Examples:
      | option                        | result                                           |
      | neither Auto-Flex nor True-up | the sign-in is refused with "no_seats_available" |
      | Auto-Flex                     | the sign-in is accepted                          |
      | True-up                       | the sign-in is accepted                          |

  @JIT-04
  Scenario: A pending invite creates no member
    Given the SSO method has "Automatically add new users" off
    And Olivia has invited Zoe
    Then Zoe is not a member of the team
    And the team has a pending invite for Zoe

  @JIT-04 @saml
  Scenario: Accepting the invite with SSO makes the person a member
    Given the SSO method has "Automatically add new users" off
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe accepts the invite with SSO
    Then Zoe is an active member of the team

  @JIT-05 @decision
  Scenario Outline: Only a team admin can change "Automatically add new users" (<role>)
    Given the SSO method has "Automatically add new users" off
    And Ben is a team <role>
    When Ben turns "Automatically add new users" on
    Then <result>

    Examples:
      | role        | result                                          |
      | Member      | it is refused with "forbidden"                  |
      | Guest       | it is refused with "forbidden"                  |
      | Admin       | "Automatically add new users" is on             |
      | Super Admin | "Automatically add new users" is on             |

  @JIT-05
  Scenario: A refused change leaves the setting as it was
    Given the SSO method has "Automatically add new users" off
    And Ben is a team Member
    When Ben turns "Automatically add new users" on
    Then it is refused with "forbidden"
    And "Automatically add new users" is off

  @JIT-06 @saml
  Scenario: An existing account links to SSO only with the account's own password
    Given Zoe has an account with a password
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe opens the invite, chooses SSO and enters the wrong account password
    Then nothing is linked
    When Zoe enters the right account password
    Then Zoe is an active member of the team

  @JIT-07 @saml
  Scenario: A person who forgot the account password resets it and then links
    Given Zoe has an account with a password
    And Olivia has invited Zoe
    And Zoe is assigned to the app in the IdP
    When Zoe resets her password and links with the new one
    Then Zoe is an active member of the team

  @JIT-08 @saml
  Scenario: Only people assigned to the app in the IdP can sign in at all
    Given the SSO method has "Automatically add new users" on
    And Yan is known to the IdP but not assigned to the app
    When Yan starts a sign-in to the team at the service provider
    Then the IdP refuses the sign-in
    And Yan has no account

  @JIT-09 @saml
  Scenario: With domain capture on, JIT behaves the same way
    Given the team's organisation has verified its domain and captures it into the team
    And the SSO method has "Automatically add new users" off
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then the sign-in is refused with "jit_disabled"

  @JIT-10 @saml
  Scenario: An account created by JIT while password sign-in was off has no password
    Given the SSO method has "Automatically add new users" on
    And Zoe is assigned to the app in the IdP
    When Zoe signs in to the team with SSO
    Then Zoe's account has no password
