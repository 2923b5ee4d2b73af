/* Who is looking: the signed-in account (`me`), or the shared link the page opened, and
   what each may do on a site. The client (api/client.js) holds the credentials; this
   module holds what the screens need to know about them. */

import { signal } from '@preact/signals'
import { api, shareToken, whenSignedOut } from '../api/client.js'
import { sites, defs } from './site.js'
import { route } from './store.js'

/**
 * Where the page stands:
 * 'loading' | 'signin' | 'setup' (first run) | 'invite' (an invitation link) |
 * 'share' (a shared link asking for its password, or refused) | 'in' (signed in) |
 * 'shared' (a shared link's read-only dashboard).
 */
export const status = signal('loading')
/** The signed-in account: {user: {email, server_owner}, sites}. */
export const me = signal(null)
/** The open shared link: {site, name, filters}. */
export const shared = signal(null)
/** The first-run answer of GET /api/auth/setup: {needed, allowed}. */
export const setup = signal(null)
/** Why the page went back to sign-in (a session that ended), for one message. */
export const endedNote = signal(false)

/** The invitation token of `/invite#<token>`, if the page is one. */
export function inviteToken() {
  return location.pathname === '/invite' || location.pathname === '/invite/' ? decodeURIComponent(location.hash.slice(1)) : ''
}

/** Forgets what the last account could see (another may sign in on this page). */
function forget() {
  me.value = null
  sites.value = null
  defs.value = { site: null, goals: [], groups: [], funnels: [], loaded: false }
}

whenSignedOut(() => {
  if (status.value !== 'in') return
  forget()
  endedNote.value = true
  status.value = 'signin'
})

/** Decides the first screen: a shared link, an invitation, the session, or first run. */
export async function start() {
  if (shareToken()) {
    status.value = 'share'
    return
  }
  if (inviteToken()) {
    status.value = 'invite'
    return
  }
  try {
    me.value = await api.auth.me()
    status.value = 'in'
    return
  } catch (e) {
    if (e.status !== 401) {
      // The server did not answer as expected: the sign-in screen says what it can.
      status.value = 'signin'
      return
    }
  }
  try {
    setup.value = await api.auth.setupStatus()
  } catch {
    setup.value = null
  }
  status.value = setup.value?.needed ? 'setup' : 'signin'
}

/** After a sign-in, first-run owner creation or an accepted invitation. */
export function enter(answer, site) {
  forget()
  me.value = answer
  endedNote.value = false
  status.value = 'in'
  const url = new URL(location.href)
  if (url.pathname === '/invite' || url.pathname === '/invite/') {
    url.pathname = '/'
    url.hash = ''
  }
  if (site) url.searchParams.set('site', site)
  if (url.href !== location.href) {
    history.replaceState(null, '', url.pathname + url.search)
    dispatchEvent(new PopStateEvent('popstate'))
  }
}

/** Opens the shared link (with its password, when it has one). */
export async function openShare(password) {
  const a = await api.auth.share(shareToken(), password)
  shared.value = { site: a.site, name: a.name, filters: a.filters || [] }
  status.value = 'shared'
  return a
}

/** Signs out (this session, or every session of the account). */
export async function signOut(everywhere = false) {
  try {
    await api.auth.logout(everywhere)
  } finally {
    forget()
    status.value = 'signin'
  }
}

/** The shortest password the server accepts. */
export const MIN_PASSWORD = 10

const RANK = { viewer: 1, editor: 2, owner: 3 }

/** The role on a site: the shared link is a viewer; otherwise the site list says. */
export function roleOf(domain) {
  if (status.value === 'shared') return 'viewer'
  const s = (sites.value || []).find((x) => x.domain === domain || x.site_id === domain)
  return s?.role || 'viewer'
}

/** Whether the role on `domain` is at least `role` ('editor' or 'owner'). */
export function can(domain, role) {
  return (RANK[roleOf(domain)] || 0) >= RANK[role]
}

/** Whether this reader may define goals, groups and funnels on the current site. */
export const canEditDefs = () => status.value === 'in' && can(route.value.site, 'editor')

/** Whether the page is a shared link held to fixed filters: the server answers neither
    realtime nor property keys through it (they cannot apply the filters). */
export const sharedFiltered = () => status.value === 'shared' && (shared.value?.filters?.length || 0) > 0

/** Whether the account is a server owner (who may add sites). */
export const serverOwner = () => !!me.value?.user?.server_owner
