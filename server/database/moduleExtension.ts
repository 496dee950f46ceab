import { extname } from 'node:path';

/**
 * How the platform's own modules end where this process runs them: `.ts` from
 * the sources (through tsx), `.js` from the build (`npm run build`, `node
 * dist/…`). Migrations and seeds are found in their folders by it.
 */
export const MODULE_EXTENSION = extname(import.meta.filename);
