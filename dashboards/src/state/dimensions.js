/* The dimensions a view can show or filter by: their short name in the URL
   (`f=is,page,/symptomes/**`) and their name in the stats API. */

const EVENT = { page: 'event:page', goal: 'event:goal', name: 'event:name', content_group: 'event:content_group', hostname: 'event:hostname' }

const VISIT = [
  'entry_page', 'exit_page', 'source', 'channel', 'referrer',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
  'country', 'region', 'city', 'device', 'browser', 'browser_version', 'os',
]

/** Every short name a filter may use (besides `props:<key>`). */
export const FILTERABLE = [...Object.keys(EVENT), ...VISIT]

/** The API name of a short dimension name, or null when unknown. */
export function apiDim(short) {
  if (EVENT[short]) return EVENT[short]
  if (VISIT.includes(short)) return `visit:${short}`
  if (short.startsWith('props:') && short.length > 6) return `event:${short}`
  return null
}

/** The short name of an API dimension. */
export function shortDim(api) {
  for (const [k, v] of Object.entries(EVENT)) if (v === api) return k
  if (api.startsWith('visit:')) return api.slice(6)
  if (api.startsWith('event:props:')) return api.slice(6)
  return api
}

/** Filter operators, as the API names them. */
export const OPS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not']
