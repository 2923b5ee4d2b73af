/* The one API client: the only module that knows how a request is authenticated.

   - Signed in: the browser sends the session cookie (HttpOnly, same origin); the client
     keeps the `csrf` of `GET /api/auth/me` (or of the sign-in answer) and sends it as
     `X-CSRF-Token` on every POST, PATCH and DELETE. A 401 ends the session in the page:
     the app goes back to its sign-in screen.
   - A shared link (`/share/<token>`): `POST /api/auth/share` gives a grant, sent as
     `Authorization: Bearer <grant>` on every call; no cookie is needed, no CSRF header
     is sent.
   Nothing here is stored: a reload asks `me` (or the shared link) again. */

/** An answer the API refused, with its HTTP status, message and whole body. */
export class ApiError extends Error {
  constructor(status, message, body = null, retryAfter = null) {
    super(message)
    this.status = status
    this.body = body
    this.retryAfter = retryAfter
  }
}

let csrf = ''
let grant = ''
let onSignedOut = null

/** The shared link's token when the page is `/share/<token>`, else ''. */
export function shareToken() {
  const m = /^\/share\/([^/]+)\/?$/.exec(location.pathname)
  return m ? decodeURIComponent(m[1]) : ''
}

/** Whether the page is a shared link's dashboard. */
export const sharedMode = () => !!shareToken()

/** The function run when a signed-in call gets 401 (the app shows its sign-in screen). */
export function whenSignedOut(fn) {
  onSignedOut = fn
}

function headers(method, json) {
  const h = { accept: 'application/json' }
  if (json) h['content-type'] = 'application/json'
  if (grant) h.authorization = 'Bearer ' + grant
  else if (method !== 'GET' && csrf) h['x-csrf-token'] = csrf
  return h
}

// Identical GETs and POSTs in flight share one request (panels often ask the same).
const inflight = new Map()

async function call(method, path, body, { signal } = {}) {
  const id = method + path + (body ? JSON.stringify(body) : '')
  if (!signal && inflight.has(id)) return inflight.get(id)
  const p = (async () => {
    let r
    try {
      r = await fetch(path, {
        method,
        headers: headers(method, body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal,
      })
    } catch (e) {
      if (e.name === 'AbortError') throw e
      throw new ApiError(0, 'network')
    }
    let j = null
    try {
      j = await r.json()
    } catch {
      /* a non-JSON error page */
    }
    if (!r.ok) {
      const retry = Number(r.headers.get('retry-after'))
      const err = new ApiError(r.status, (j && j.error) || r.statusText, j, Number.isFinite(retry) && retry > 0 ? retry : null)
      // A session that ended (logout elsewhere, expiry, a revoked account) signs the page out.
      if (r.status === 401 && !grant && !path.startsWith('/api/auth/') && onSignedOut) onSignedOut()
      throw err
    }
    return j
  })()
  if (!signal) {
    inflight.set(id, p)
    p.finally(() => inflight.delete(id)).catch(() => {})
  }
  return p
}

/** Keeps the CSRF token of an answer shaped as `me`. */
function signedIn(me) {
  csrf = (me && me.csrf) || ''
  return me
}

const q = (params) => '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString()

/** Every endpoint the dashboard uses. */
export const api = {
  auth: {
    setupStatus: () => call('GET', '/api/auth/setup'),
    setup: (email, password) => call('POST', '/api/auth/setup', { email, password }).then(signedIn),
    login: (email, password) => call('POST', '/api/auth/login', { email, password }).then(signedIn),
    me: () => call('GET', '/api/auth/me').then(signedIn),
    async logout(everywhere = false) {
      try {
        await call('POST', '/api/auth/logout', { everywhere })
      } finally {
        csrf = ''
      }
    },
    password: (current, next) => call('POST', '/api/auth/password', { current, new: next }),
    invitation: (token) => call('POST', '/api/auth/invitation', { token }),
    accept: (token, password) => call('POST', '/api/auth/invitation/accept', { token, password }).then(signedIn),
    /** Opens a shared link: every later call carries its grant. */
    async share(token, password) {
      const a = await call('POST', '/api/auth/share', password ? { token, password } : { token })
      grant = a.grant
      return a
    },
  },
  query: (body, o) => call('POST', '/api/v2/query', body, o),
  funnel: (body, o) => call('POST', '/api/v2/funnel', body, o),
  journeys: (body, o) => call('POST', '/api/v2/journeys', body, o),
  attribution: (body, o) => call('POST', '/api/v2/attribution', body, o),
  realtime: (body, o) => call('POST', '/api/v2/realtime', body, o),
  properties: (params, o) => call('GET', '/api/v2/properties' + q(params), undefined, o),
  installCheck: (site, o) => call('GET', '/api/v2/install_check' + q({ site_id: site }), undefined, o),
  sites: {
    list: () => call('GET', '/api/v2/sites'),
    create: (domain, timezone) => call('POST', '/api/v2/sites', { domain, timezone }),
    update: (body) => call('PATCH', '/api/v2/sites', body),
    remove: (site, confirm) => call('DELETE', '/api/v2/sites', { site_id: site, confirm }),
  },
  keys: {
    list: (site) => call('GET', '/api/v2/keys' + q({ site_id: site })),
    create: (site, name, readOnly) => call('POST', '/api/v2/keys', { site_id: site, ...(name ? { name } : {}), read_only: !!readOnly }),
    revoke: (site, id) => call('DELETE', '/api/v2/keys', { site_id: site, id }),
  },
  members: {
    list: (site) => call('GET', '/api/v2/members' + q({ site_id: site })),
    setRole: (site, email, role) => call('PATCH', '/api/v2/members', { site_id: site, email, role }),
    remove: (site, email) => call('DELETE', '/api/v2/members', { site_id: site, email }),
  },
  invitations: {
    create: (site, email, role) => call('POST', '/api/v2/invitations', { site_id: site, email, role }),
    cancel: (site, id) => call('DELETE', '/api/v2/invitations', { site_id: site, id }),
  },
  shares: {
    list: (site) => call('GET', '/api/v2/shares' + q({ site_id: site })),
    create: (body) => call('POST', '/api/v2/shares', body),
    revoke: (site, id) => call('DELETE', '/api/v2/shares', { site_id: site, id }),
  },
  audit: (site, o) => call('GET', '/api/v2/audit' + q({ site_id: site }), undefined, o),
  goals: {
    list: (site) => call('GET', '/api/v2/goals' + q({ site_id: site })),
    save: (body) => call('POST', '/api/v2/goals', body),
    remove: (site, name) => call('DELETE', '/api/v2/goals', { site_id: site, name }),
  },
  groups: {
    list: (site) => call('GET', '/api/v2/content_groups' + q({ site_id: site })),
    save: (body) => call('POST', '/api/v2/content_groups', body),
    remove: (site, name) => call('DELETE', '/api/v2/content_groups', { site_id: site, name }),
  },
  funnels: {
    list: (site) => call('GET', '/api/v2/funnels' + q({ site_id: site })),
    save: (body) => call('POST', '/api/v2/funnels', body),
    remove: (site, name) => call('DELETE', '/api/v2/funnels', { site_id: site, name }),
  },
}
