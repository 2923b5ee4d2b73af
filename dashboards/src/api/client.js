/* The one API client: the only module that knows how a request is authenticated.
   Today that is the stats API key the user brings in the URL fragment (#key=…), which
   browsers never send to the server and which shared links leave out. When dashboard
   sessions arrive, `credentials()` and `headers()` are the place to change. */

/** An answer the API refused, with its HTTP status and message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/** The API key held in the fragment, if any. */
export function credentials() {
  return new URLSearchParams(location.hash.slice(1)).get('key') || ''
}

/** Replaces the key in the fragment (the sign-in form's only job). */
export function setCredentials(key) {
  const frag = new URLSearchParams(location.hash.slice(1))
  frag.set('key', key.trim())
  history.replaceState(null, '', location.pathname + location.search + '#' + frag.toString())
}

function headers(json) {
  const h = { accept: 'application/json' }
  if (json) h['content-type'] = 'application/json'
  const key = credentials()
  if (key) h.authorization = 'Bearer ' + key
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
      r = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body), signal })
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
    if (!r.ok) throw new ApiError(r.status, (j && j.error) || r.statusText)
    return j
  })()
  if (!signal) {
    inflight.set(id, p)
    p.finally(() => inflight.delete(id)).catch(() => {})
  }
  return p
}

const q = (params) => '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString()

/** Every endpoint the dashboard uses. */
export const api = {
  query: (body, o) => call('POST', '/api/v2/query', body, o),
  funnel: (body, o) => call('POST', '/api/v2/funnel', body, o),
  journeys: (body, o) => call('POST', '/api/v2/journeys', body, o),
  attribution: (body, o) => call('POST', '/api/v2/attribution', body, o),
  realtime: (body, o) => call('POST', '/api/v2/realtime', body, o),
  properties: (params, o) => call('GET', '/api/v2/properties' + q(params), undefined, o),
  installCheck: (site, o) => call('GET', '/api/v2/install_check' + q({ site_id: site }), undefined, o),
  sites: {
    list: () => call('GET', '/api/v2/sites'),
    update: (body) => call('PATCH', '/api/v2/sites', body),
  },
  keys: { create: (site) => call('POST', '/api/v2/keys', { site_id: site }) },
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
