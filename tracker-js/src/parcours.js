/* Entry point of dist/parcours.js: beacon sending, pageviews (including single-page-app and hash
   navigation), the public window.parcours API and replay of calls queued before the script ran. */

import { cfg, currentPath, doc, endpoint, hashMode, loc, nav, script, win } from './config.js'
import { consent, consentId } from './consent.js'
import { isBlocked } from './exclude.js'

const track = (name, options = {}) => {
  const done = () => options.callback?.()
  // Callbacks run even when nothing is sent, so site code waiting on them never hangs.
  if (isBlocked()) return done()
  // JSON.stringify drops undefined values, which keeps absent keys out of the beacon.
  const body = JSON.stringify({
    n: name,
    u: loc.href,
    d: cfg.domain,
    r: doc.referrer || null,
    p: name == '404' ? { path: loc.pathname, ...options.props } : options.props,
    m: options.revenue,
    h: hashMode,
    c: consentId(),
  })
  // A string body goes out as text/plain, a "simple" request without CORS preflight; keepalive
  // lets it outlive the page, so link clicks and form posts are not lost.
  if (win.fetch) fetch(endpoint, { method: 'POST', body, keepalive: true }).then(done, done)
  else {
    nav.sendBeacon(endpoint, body)
    done()
  }
}

let lastPath
const pageview = () => {
  // Only a changed path is a new page: same-URL pushState and query-only updates are not.
  if (currentPath() != lastPath) {
    lastPath = currentPath()
    track('pageview')
  }
}

const queued = win.parcours?.q || []
win.parcours = track
track.consent = consent

for (const method of ['pushState', 'replaceState']) {
  const original = history[method]
  history[method] = function () {
    original.apply(this, arguments)
    pageview()
  }
}
addEventListener('popstate', pageview)
// Harmless without data-hash: currentPath then ignores the fragment, so nothing changes.
addEventListener('hashchange', pageview)
// A back/forward-cache restore is a visit like any other: without bfcache the same navigation
// reloads the page and counts, so counting restores keeps numbers browser-independent.
addEventListener('pageshow', (event) => event.persisted && track('pageview'))

// A speculatively prerendered page may never be shown: count it only once it is.
if (doc.prerendering) doc.addEventListener('prerenderingchange', pageview)
else pageview()
if ('404' in cfg) track('404')
for (const args of queued) track(...args)

// Automatic events live in a sibling add-on fetched only when the site opted into one, which
// keeps this script small for everyone else; it gets the same data-* configuration.
if (/outbound|downloads|tel|forms|tagged/.test(Object.keys(cfg))) {
  const addOn = doc.createElement('script')
  addOn.src = script.src.replace(/[^/]*$/, 'parcours.auto.js')
  Object.assign(addOn.dataset, cfg)
  doc.head.append(addOn)
}
