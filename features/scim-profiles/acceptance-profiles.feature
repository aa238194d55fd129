@scim-profile @scim
Feature: IdP acceptance profiles (Okta OIN, Microsoft Entra) against the target's SCIM API
  The request sequences Okta and Microsoft run before an app enters their galleries, replayed offline; each run
  writes a readiness report (HTML, JSON, JUnit) beside the other reports.

  Scenario: Okta OIN SCIM 2.0 Spec Test and CRUD test pass
    When the acceptance profile "okta-oin" runs
    Then every applicable test of the profile passed

  Scenario: Microsoft Entra SCIM validator tests pass
    When the acceptance profile "entra" runs
    Then every applicable test of the profile passed
