/* Decides whether a beacon may be sent at all: local pages, automation, per-browser opt-out,
   Do-Not-Track / Global Privacy Control and excluded paths. */

import { cfg, currentPath, loc, nav, storage } from './config.js'

// Globs: `**` crosses path segments, `*` stays inside one; any other punctuation is literal.
const excluded = (cfg.exclude || '')
  .split(',')
  // An empty glob becomes /^$/, which no pathname matches, so no filtering is needed.
  .map(
    (glob) =>
      new RegExp(
        '^' +
          glob
            .trim()
            .replace(/[^\w*/-]/g, '\\$&')
            .replace(/\*\*?/g, (stars) => (stars[1] ? '.*' : '[^/]*')) +
          '$',
      ),
  )

// Evaluated per beacon rather than once: SPA navigation can enter an excluded path, and the
// opt-out flag can be set from another tab while this page stays open.
export const isBlocked = () =>
  /^(localhost|127\..*|\[::1\])$/.test(loc.hostname) ||
  loc.protocol == 'file:' ||
  nav.webdriver ||
  storage.parcours_ignore == 'true' ||
  ('respectDnt' in cfg && (nav.doNotTrack == '1' || nav.globalPrivacyControl)) ||
  excluded.some((pattern) => pattern.test(currentPath()))
