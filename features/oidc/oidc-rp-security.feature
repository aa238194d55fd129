@oidc @oidc-rp-security
Feature: The relying party checks every ID token and authorization response
  The simulated IdP answers a sign-in the way a broken or hostile OpenID Connect provider would, one fault at a
  time (simulator/oidc/faults.ts). A sound relying party refuses each of them and signs nobody in, and copes with
  a signing-key rotation. Each scenario attaches its per-fault verdict to the report.

  Background:
    Given the relying party trusts the simulated OpenID provider

  Scenario Outline: OIDC fault <fault>
    When the IdP answers Zoe's sign-in with the OIDC fault "<fault>"
    Then the relying party gives the verdict the fault catalogue expects

    Examples:
      | fault            |
      | wrong-iss        |
      | wrong-aud        |
      | missing-nonce    |
      | wrong-nonce      |
      | expired          |
      | alg-none         |
      | hs256-public-key |
      | unknown-kid      |
      | jwks-rotation    |
      | wrong-at-hash    |
      | wrong-c-hash     |
      | state-mismatch   |
