@saml-sp @saml
Feature: A SAML service provider validates the responses it receives (SAML core 2.0, profiles 4.1.4)
  Whatever else it does, a service provider accepts a well-formed, signed response meant for it
  and refuses every response that was tampered with, signed by someone else, meant for another
  service, expired, replayed or not signed at all.

  Background:
    Given the service provider trusts the simulated IdP
    And Zoe is assigned to the app in the IdP

  Scenario: A good response is accepted
    When the IdP posts a response for Zoe
    Then the sign-in is accepted

  Scenario Outline: A faulty response is refused (<fault>)
    # a good response first, so that a refusal below is the fault's doing, not a set-up problem
    Given the IdP has posted a response for Zoe that was accepted
    When the IdP posts a response for Zoe that is <fault>
    Then the sign-in is refused

    Examples:
      | fault                                 |
      | tampered after signing                |
      | signed with a certificate not trusted |
      | meant for another audience            |
      | expired                               |
      | unsigned                              |

  Scenario: A replayed response is refused
    Given the IdP has posted a response for Zoe that was accepted
    When the same response is posted again
    Then the sign-in is refused
