/* The shell: the signed-out screens (sign-in, first run, invitation, a shared link's
   password), then the header (site, views, language, account), the period /
   comparison / filter bar, and the open view. Esc clears the filters; the URL holds
   everything else. A shared link's dashboard is the same shell, read-only, on its
   one site. */

import { useEffect, useState } from 'preact/hooks'
import { html } from './components/html.js'
import { t, lang } from './i18n/index.js'
import { route, navigate, shareUrl } from './state/store.js'
import { sites, sitesError, defs, loadSites, loadDefs } from './state/site.js'
import { status, me, shared, start, sharedFiltered } from './state/session.js'
import { SHARED_VIEWS, toUrl } from './state/url.js'
import { UserMenu } from './components/user-menu.js'
import { LangSwitch } from './components/lang.js'
import { FilterBar, FixedFilters } from './components/filters.js'
import { PeriodPicker, ComparePicker } from './components/period.js'
import { ErrorNote, Loading } from './components/states.js'
import { Overview } from './views/overview/index.js'

// The overview is in the first bundle; every other view is loaded when first opened.
const lazy = (load) => {
  let loaded = null
  return function Lazy(props) {
    const [View, setView] = useState(() => loaded)
    useEffect(() => {
      if (!View) load().then((v) => setView(() => (loaded = v)))
    }, [])
    return View ? html`<${View} ...${props} />` : html`<${Loading} />`
  }
}
const VIEWS = {
  overview: Overview,
  funnels: lazy(() => import('./views/funnels/index.js').then((m) => m.Funnels)),
  journeys: lazy(() => import('./views/journeys/index.js').then((m) => m.Journeys)),
  attribution: lazy(() => import('./views/attribution/index.js').then((m) => m.Attribution)),
  realtime: lazy(() => import('./views/realtime/index.js').then((m) => m.Realtime)),
  settings: lazy(() => import('./views/settings/index.js').then((m) => m.Settings)),
}
// The signed-out screens are a chunk of their own: a signed-in reader never loads them.
const Auth = lazy(() => import('./views/auth/index.js').then((m) => m.Auth))
const NoSites = lazy(() => import('./views/settings/sites.js').then((m) => m.NoSites))
// Views whose figures depend on the period and the filters.
const FILTERED = { overview: true, funnels: true, journeys: true, attribution: true }

function CopyLink() {
  const [done, setDone] = useState(false)
  return html`<button type="button" class="ghost small" onClick=${async () => {
    try {
      await navigator.clipboard.writeText(shareUrl())
      setDone(true)
      setTimeout(() => setDone(false), 2000)
    } catch {
      prompt(t('share.copy_manually'), shareUrl())
    }
  }} title=${t('share.hint')}>${done ? t('share.copied') : t('share.copy')}</button>`
}

/** The views this reader may open: a shared link has no settings, and one held to
    filters no realtime view. */
const viewNames = () =>
  status.value !== 'shared' ? Object.keys(VIEWS) : sharedFiltered() ? SHARED_VIEWS.filter((v) => v !== 'realtime') : SHARED_VIEWS

function Nav() {
  const st = route.value
  return html`<nav class="views" aria-label=${t('nav.label')}>
    ${viewNames().map(
      (v) => html`<a href=${viewHref(v)} class=${st.view === v ? 'on' : ''} aria-current=${st.view === v ? 'page' : undefined} data-testid=${'nav-' + v}
        onClick=${(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button) return
          e.preventDefault()
          navigate({ view: v }, { keepExtra: false })
        }}>${t(`nav.${v}`)}</a>`,
    )}
  </nav>`
}

/** Another view's link: the site, period, comparison, filters and language stay. */
function viewHref(v) {
  return toUrl({ ...route.value, view: v, interval: '', extra: {} })
}

function SitePicker() {
  const st = route.value
  const list = sites.value || []
  if (list.length <= 1 || status.value === 'shared') return html`<span class="site-name" data-testid="site">${st.site}</span>`
  return html`<label class="inline"><span class="sr-only">${t('site.label')}</span>
    <select value=${st.site} onChange=${(e) => navigate({ site: e.target.value }, { keepExtra: false })} data-testid="site-picker">
      ${list.map((s) => html`<option value=${s.domain}>${s.domain}</option>`)}
    </select></label>`
}

/** A shared link's banner: whose dashboard, read-only, and the filters it always applies. */
function SharedBanner() {
  const sh = shared.value
  return html`<div class="shared-banner" role="note" data-testid="shared-banner">
    <p><strong>${t('shared.banner', { site: sh.site })}</strong>${sh.name ? html` <span class="hint">· ${sh.name}</span>` : null}</p>
    ${sh.filters?.length ? html`<${FixedFilters} filters=${sh.filters} />` : null}
  </div>`
}

export function App() {
  const st = route.value
  const state = status.value
  useEffect(() => {
    // An old bookmark may still carry an API key in its fragment: it has no use any more.
    if (/(^#|&)key=/.test(location.hash)) history.replaceState(null, '', location.pathname + location.search)
    start()
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang.value
    const title = state === 'in' || state === 'shared' ? `${st.site ? st.site + ' · ' : ''}${t(`nav.${st.view}`)}` : t(`auth.title.${state}`)
    document.title = `${title} · Parcours`
  }, [lang.value, st.site, st.view, state])
  useEffect(() => {
    if (state === 'in') loadSites()
    if (state === 'shared') sites.value = [{ domain: shared.value.site, site_id: shared.value.site, role: 'viewer' }]
  }, [state])
  useEffect(() => {
    // Pick the first site when the URL names none (or one this reader cannot open).
    if ((state !== 'in' && state !== 'shared') || sites.value === null) return
    const list = sites.value
    if (st.site && list.some((s) => s.domain === st.site)) return
    if (state === 'in' && st.site && !list.length) return
    const first = list[0]?.domain
    if (first && first !== st.site) navigate({ site: first }, { replace: true })
  }, [state, st.site, sites.value])
  useEffect(() => {
    if (st.site && (state === 'in' || state === 'shared') && defs.value.site !== st.site) loadDefs(st.site)
  }, [st.site, state])
  useEffect(() => {
    const onKey = (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      const tag = (e.target?.tagName || '').toLowerCase()
      if (['input', 'textarea', 'select'].includes(tag) || document.querySelector('dialog[open]')) return
      if (route.value.filters.length) navigate({ filters: [] })
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [])
  if (state === 'loading') return html`<main class="signin" id="main"><${Loading} lines=${2} /></main>`
  if (state !== 'in' && state !== 'shared') return html`<${Auth} />`
  const isShared = state === 'shared'
  const list = sites.value
  const known = st.site && list && list.some((s) => s.domain === st.site)
  // A view this reader cannot open (settings through a shared link) shows the overview.
  const View = (viewNames().includes(st.view) && VIEWS[st.view]) || Overview
  const ready = !!known
  let body
  if (ready) body = html`<${View} key=${st.site} />`
  else if (list === null) body = html`<${Loading} />`
  else if (sitesError.value) body = html`<${ErrorNote} error=${sitesError.value} onRetry=${loadSites} />`
  else if (!list.length) body = html`<${NoSites} />`
  else body = html`<${Loading} />`
  return html`<div class="app">
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span><span>Parcours</span></div>
      ${ready || isShared ? html`<${SitePicker} />` : null}
      ${ready ? html`<${Nav} />` : null}
      <div class="top-right">
        ${!isShared && ready ? html`<${CopyLink} />` : null}
        <${LangSwitch} />
        ${!isShared && me.value ? html`<${UserMenu} />` : null}
      </div>
    </header>
    ${isShared ? html`<${SharedBanner} />` : null}
    ${FILTERED[st.view] && ready
      ? html`<div class="toolbar" role="region" aria-label=${t('toolbar.label')}>
          <${PeriodPicker} key=${st.period + st.from + st.to} />
          ${st.view === 'overview' ? html`<${ComparePicker} />` : null}
          <${FilterBar} />
        </div>`
      : null}
    <main id="main" tabindex="-1">${body}</main>
  </div>`
}
