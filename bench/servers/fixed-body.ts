// The fixed JSON body both baseline servers answer with: shaped like a small SCIM User (~250 bytes).
export const fixedBody = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '5f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  userName: 'ada.lovelace@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  meta: { resourceType: 'User', version: 'W/"1"' },
};
