@scim-core @scim
Feature: SCIM discovery endpoints (RFC 7644 4)
  A client learns what a service provider supports before it provisions anything.

  Scenario: ServiceProviderConfig states patch, filter, etag and bulk support
    When the client reads "/ServiceProviderConfig"
    Then the response status is 200
    And the response has the schema "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    And the response states support for "patch", "filter", "etag", "bulk", "sort" and "changePassword"

  Scenario: ResourceTypes lists User and Group
    When the client reads "/ResourceTypes"
    Then the response status is 200
    And the resource types include "User" and "Group"

  Scenario: Schemas include the core User and Group schemas
    When the client reads "/Schemas"
    Then the response status is 200
    And the schemas include "urn:ietf:params:scim:schemas:core:2.0:User" and "urn:ietf:params:scim:schemas:core:2.0:Group"
