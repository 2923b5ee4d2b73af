/* The shell: header (site, views, language), the period / comparison / filter bar,
   and the open view. Esc clears the filters; the URL holds everything else. */

import { useEffect, useState } from 'preact/hooks'
import { html } from './components/html.js'
import { t, lang, setLang, LANGS } from './i18n/index.js'
import { route, navigate, shareUrl } from './state/store.js'
import { sites, sitesError, defs, loadSites, loadDefs } from './state/site.js'
import { credentials, setCredentials } from './api/client.js'
import { FilterBar } from './components/filters.js'
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
// Views whose figures depend on the period and the filters.
const FILTERED = { overview: true, funnels: true, journeys: true, attribution: true }

function SignIn({ onDone }) {
  const [key, setKey] = useState('')
  return html`<main class="signin" id="main">
    <form class="panel" onSubmit=${(e) => {
      e.preventDefault()
      if (key.trim()) {
        setCredentials(key)
        onDone()
      }
    }}>
      <h1>Parcours</h1>
      <p>${t('signin.intro')}</p>
      <label>${t('signin.key')}<input type="password" autocomplete="off" value=${key} onInput=${(e) => setKey(e.target.value)} required placeholder="pk_…" /></label>
      <p class="hint">${t('signin.how')} <code>parcours keys create --site DOMAIN</code></p>
      <button type="submit" class="primary">${t('signin.open')}</button>
    </form>
  </main>`
}

function LangSwitch() {
  return html`<div class="lang" role="group" aria-label=${t('lang.label')}>
    ${LANGS.map(
      (l) => html`<button type="button" lang=${l} class=${lang.value === l ? 'tab on' : 'tab'} aria-pressed=${lang.value === l ? 'true' : 'false'}
        onClick=${async () => {
          await setLang(l)
          navigate({ lang: l }, { replace: true })
        }}>${t(`lang.${l}`)}</button>`,
    )}
  </div>`
}

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

function Nav() {
  const st = route.value
  return html`<nav class="views" aria-label=${t('nav.label')}>
    ${Object.keys(VIEWS).map(
      (v) => html`<a href=${viewHref(v)} class=${st.view === v ? 'on' : ''} aria-current=${st.view === v ? 'page' : undefined}
        onClick=${(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button) return
          e.preventDefault()
          navigate({ view: v }, { keepExtra: false })
        }}>${t(`nav.${v}`)}</a>`,
    )}
  </nav>`
}

function viewHref(v) {
  const st = route.value
  const keep = new URLSearchParams()
  if (st.site) keep.set('site', st.site)
  const q = new URLSearchParams(location.search)
  for (const k of ['period', 'from', 'to', 'compare', 'match', 'lang']) if (q.get(k)) keep.set(k, q.get(k))
  for (const f of q.getAll('f')) keep.append('f', f)
  const path = { overview: '/', funnels: '/funnels', journeys: '/journeys', attribution: '/attribution', realtime: '/realtime', settings: '/settings' }[v]
  const s = keep.toString()
  return path + (s ? '?' + s : '') + location.hash
}

function SitePicker() {
  const st = route.value
  const list = sites.value || []
  if (list.length <= 1) return html`<span class="site-name" data-testid="site">${st.site}</span>`
  return html`<label class="inline"><span class="sr-only">${t('site.label')}</span>
    <select value=${st.site} onChange=${(e) => navigate({ site: e.target.value })}>
      ${list.map((s) => html`<option value=${s.domain}>${s.domain}</option>`)}
    </select></label>`
}

export function App() {
  const st = route.value
  const [key, setKey] = useState(credentials())
  useEffect(() => {
    document.documentElement.lang = lang.value
    document.title = `${st.site ? st.site + ' · ' : ''}${t(`nav.${st.view}`)} · Parcours`
  }, [lang.value, st.site, st.view])
  useEffect(() => {
    if (key) loadSites()
  }, [key])
  useEffect(() => {
    // Pick the credential's first site when the URL names none (or the old #site=).
    if (!key || st.site || sites.value === null) return
    const frag = new URLSearchParams(location.hash.slice(1)).get('site')
    const first = sites.value[0]?.domain || frag
    if (first) navigate({ site: first }, { replace: true })
  }, [key, st.site, sites.value])
  useEffect(() => {
    if (st.site && defs.value.site !== st.site) loadDefs(st.site)
  }, [st.site])
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
  if (!key) return html`<${SignIn} onDone=${() => setKey(credentials())} />`
  const View = VIEWS[st.view] || Overview
  const ready = st.site && sites.value !== null
  return html`<div class="app">
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true"></span><span>Parcours</span></div>
      <${SitePicker} />
      <${Nav} />
      <div class="top-right"><${CopyLink} /><${LangSwitch} /></div>
    </header>
    ${FILTERED[st.view] && ready
      ? html`<div class="toolbar" role="region" aria-label=${t('toolbar.label')}>
          <${PeriodPicker} key=${st.period + st.from + st.to} />
          ${st.view === 'overview' ? html`<${ComparePicker} />` : null}
          <${FilterBar} />
        </div>`
      : null}
    <main id="main" tabindex="-1">
      ${!ready
        ? sitesError.value && !st.site
          ? html`<${ErrorNote} error=${sitesError.value} />`
          : html`<${Loading} />`
        : html`<${View} key=${st.site} />`}
    </main>
  </div>`
}
