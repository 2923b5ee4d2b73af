/* What the dashboard knows of the sites the credential opens: their settings, goals
   and content groups, loaded once per site and again after a settings change. */

import { signal } from '@preact/signals'
import { api } from '../api/client.js'

/** Sites the credential can read (null until loaded, [] on failure). */
export const sites = signal(null)
/** Error of the last sites load, if any. */
export const sitesError = signal(null)
/** The current site's goals, content groups and saved funnels. */
export const defs = signal({ site: null, goals: [], groups: [], funnels: [], loaded: false })

/** Loads the site list. */
export async function loadSites() {
  try {
    const a = await api.sites.list()
    sites.value = a.sites
    sitesError.value = null
  } catch (e) {
    sites.value = []
    sitesError.value = e
  }
}

/** (Re)loads the current site's definitions. */
export async function loadDefs(site) {
  if (!site) return
  const [g, c, f] = await Promise.all([
    api.goals.list(site).catch(() => ({ goals: [] })),
    api.groups.list(site).catch(() => ({ content_groups: [] })),
    api.funnels.list(site).catch(() => ({ funnels: [] })),
  ])
  defs.value = { site, goals: g.goals || [], groups: c.content_groups || [], funnels: f.funnels || [], loaded: true }
}

/** The settings of a site by domain, if known. */
export function siteInfo(domain) {
  return (sites.value || []).find((s) => s.domain === domain) || null
}
