// An AuthMethodDirectory over the Store, for apps that own their store (createServer) until the team service offers
// `findAuthMethod(methodId)` itself; the portal's method is named per organisation (ORG-01 decision, see report).
import type { AuthMethodView } from '../control/port.ts';
import { authMethodView } from '../service/views.ts';
import type { Store } from '../store/index.ts';
import type { AuthMethodDirectory } from './port.ts';

export function storeMethodDirectory(
  store: Store,
  portalMethodIdOf: (organisationId: string) => string | null = () => null,
): AuthMethodDirectory {
  const find = (methodId: string): AuthMethodView | null => {
    const method = store.authMethods.get(methodId);
    return method === null ? null : authMethodView(method);
  };
  return {
    findAuthMethod: find,
    findPortalMethod: (organisationId) => {
      const methodId = portalMethodIdOf(organisationId);
      return methodId === null ? null : find(methodId);
    },
  };
}
