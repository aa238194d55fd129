@saml-sp-security @saml
Feature: A SAML service provider withstands the idsim fault catalogue (SAML core 5, profiles 4.1.4; idsim issue #11)
  Mallory has an ordinary account at the IdP; Kasper is another existing member. Each scenario alters one genuine
  Response for Mallory the way an attacker (or a broken IdP) would, and the service provider must refuse it, or
  accept it only as the identity the IdP signed. The catalogue (simulator/saml/faults) explains every fault and
  cites its SAML section, paper or CVE; `idsim saml-audit` runs the same faults and writes a report card.

  Background:
    # the control: genuine sign-ins must work first, else a refusal below proves nothing
    Given the service provider trusts the simulated IdP
    And Kasper is assigned to the app in the IdP
    And Mallory is assigned to the app in the IdP
    And the IdP has posted a response for Kasper that was accepted
    And the IdP has posted a response for Mallory that was accepted

  Scenario Outline: The service provider withstands <fault>
    Given the IdP's next Response carries the fault "<fault>" aimed at Kasper
    When the IdP posts a response for Mallory
    Then the service provider gives the fault's expected verdict

    Examples: Signature wrapping
      | fault |
      | xsw1 |
      | xsw2 |
      | xsw3 |
      | xsw4 |
      | xsw5 |
      | xsw6 |
      | xsw7 |
      | xsw8 |
      | xsw-extensions |
      | xsw-object |
      | xsw-second-signature |

    Examples: Signature presence and scope
      | fault |
      | unsigned |
      | strip-response-signature |
      | tamper-after-signing |
      | reference-other-element |
      | reference-uri-empty |
      | multiple-references |
      | transform-xpath |
      | transform-xslt |
      | digest-value-comment |
      | digest-value-in-extensions |

    Examples: Signature presence and scope (issue #10 hardening)
      | fault |
      | unsigned-assertion-in-signed-response |

    Examples: Keys and certificates
      | fault |
      | wrong-key |
      | keyinfo-attacker-cert |
      | keyinfo-keyvalue |
      | retired-key |
      | cert-expired |
      | cert-not-yet-valid |
      | keyinfo-absent |

    Examples: Algorithms
      | fault |
      | hmac-public-cert-pem |
      | hmac-public-cert-der |
      | empty-signature-value |
      | missing-signature-value |

    Examples: Algorithms (issue #10 hardening)
      | fault |
      | sig-rsa-sha1 |
      | digest-sha1 |
      | sig-rsa-sha1-digest-sha1 |

    Examples: Canonicalisation and parsing
      | fault |
      | comment-in-nameid |
      | comment-in-attribute |
      | cdata-in-nameid |
      | doctype-xxe |
      | billion-laughs |
      | doctype-internal-entity |
      | utf16-bom |
      | duplicate-xml-attribute |
      | duplicate-id |
      | namespace-redefinition |

    Examples: Identity values
      | fault |
      | ascii-case-variant |

    Examples: Identity values (issue #10 hardening)
      | fault |
      | kelvin-sign |
      | fullwidth-letter |
      | cyrillic-homoglyph |
      | long-s-case-fold |
      | surrounding-whitespace |
      | trailing-nbsp |
      | zero-width-space |
      | email-disagrees-with-nameid |

    Examples: Conditions and binding
      | fault |
      | wrong-audience |
      | wrong-recipient |
      | wrong-destination |
      | expired |
      | not-yet-valid |
      | just-expired-within-skew |
      | not-before-within-skew |
      | missing-conditions |
      | missing-audience-restriction |
      | missing-subject-confirmation |
      | bearer-without-notonorafter |
      | missing-authn-statement |
      | inresponseto-unknown |
      | inresponseto-other-sp |
      | inresponseto-absent-sp-initiated |
      | assertion-issuer-other-idp |
      | replay-assertion-id |
      | replayed-response |
      | two-assertions |
      | status-failure-with-assertion |
      | encrypted-aes-cbc |
      | encrypted-rsa-1_5 |

    Examples: Conditions and binding (issue #10 hardening)
      | fault |
      | issuer-mismatch |
