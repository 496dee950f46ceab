import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import {
  getRequestBody,
  LINK_TOKEN_HEADER,
  LinkRefusal,
  selectPlatformIdentity,
  sendJson,
  verifyLinkToken,
  type Route,
} from '../../../server/index.ts';
import { catalogueForLinks } from './catalogueForLinks.ts';

/** Where a linked platform harvests this platform's catalogue. */
export const LINK_CATALOGUE_PATH = '/link/catalogue';

/**
 * The gateway route linked platforms harvest the catalogue from: only for a
 * platform this platform's administrator linked and has not suspended, with a
 * link token bound to this request line and used once (see `verifyLinkToken`).
 * `catalogue` gives the catalogue in force (a gateway of its own reloads it
 * when asked, see `gatewayLinkParts`).
 */
export function linkCatalogueRoute(
  db: Knex,
  catalogue: () => Catalogue | Promise<Catalogue>,
): Route {
  return async (req, res) => {
    const token = req.headers[LINK_TOKEN_HEADER];
    const platform = await selectPlatformIdentity(db);
    if (typeof token !== 'string' || platform === null) {
      sendJson(res, 401, { error: 'Only linked platforms harvest this catalogue.' });
      return;
    }
    try {
      await verifyLinkToken(db, platform.code, token, getRequestBody(req.url ?? ''));
    } catch (error) {
      if (!(error instanceof LinkRefusal)) throw error;
      sendJson(res, 401, { error: error.message });
      return;
    }
    const base = `http://${req.headers.host ?? 'localhost'}`;
    sendJson(res, 200, catalogueForLinks(await catalogue(), platform, base));
  };
}
