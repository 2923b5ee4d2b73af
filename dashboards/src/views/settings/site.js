/* Site: the domain and time zone, the tag to paste (with the tracker options the
   owner ticks, written into it), the <noscript> variant, and custom events. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading } from '../../components/states.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { linkTo } from '../../state/store.js'
import { sites, siteInfo, loadSites } from '../../state/site.js'
import { can } from '../../state/session.js'
import { Snippet, CodeBox, noscript, OPTIONS } from '../../components/snippet.js'
import { SectionHead, Notice, useNotice, ApiProblem } from './ui.js'

function zones(current) {
  let list = []
  try {
    list = Intl.supportedValuesOf('timeZone')
  } catch {
    /* an older browser: the current zone only */
  }
  return list.includes(current) ? list : [current, ...list]
}

/** The time zone, editable when the server offers site settings. */
function TimeZone({ site }) {
  const info = siteInfo(site)
  const [value, setValue] = useState(info?.timezone || '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const [msg, notice] = useNotice()
  // Without the site list, the time zone every answer states is the one to show.
  const meta = useApi(
    (signal) => (info ? Promise.resolve(null) : api.query({ site_id: site, metrics: ['visitors'], date_range: 'day' }, { signal })),
    [site, !!info],
  )
  if (info && !can(site, 'owner')) {
    return html`<p class="settings-value"><strong data-testid="tz-value">${info.timezone}</strong></p>
      <p class="hint">${t('settings.site.tz_owner')}</p>`
  }
  if (!info) {
    if (sites.value === null || meta.loading) return html`<${Loading} lines=${1} />`
    const tz = meta.data?.meta?.time_zone
    return html`<p class="settings-value">${tz ? html`<strong>${tz}</strong>` : '–'}</p>
      <p class="hint">${t('settings.site.tz_readonly')}</p>`
  }
  const save = async (e) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await api.sites.update({ site_id: site, timezone: value })
      await loadSites()
      notice(t('settings.site.tz_saved', { tz: value }))
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return html`<form class="inline-form" onSubmit=${save}>
    <label><span class="sr-only">${t('settings.site.tz')}</span>
      <select value=${value} onChange=${(e) => setValue(e.target.value)} data-testid="tz">
        ${zones(value).map((z) => html`<option value=${z}>${z}</option>`)}
      </select>
    </label>
    <button type="submit" class="primary" disabled=${busy || value === info.timezone}>${busy ? t('settings.working') : t('settings.site.tz_save')}</button>
    <${ApiProblem} error=${error} />
    <${Notice} msg=${msg} />
  </form>`
}

function Option({ id, checked, onChange }) {
  return html`<li class="option">
    <label class="check option-label">
      <input type="checkbox" checked=${checked} onChange=${(e) => onChange(e.target.checked)} aria-describedby=${'opt-' + id} data-testid=${'opt-' + id} />
      <span><strong>${t(`settings.site.opt.${id}.title`)}</strong> <code>data-${id}</code></span>
    </label>
    <p class="hint" id=${'opt-' + id}>${t(`settings.site.opt.${id}.body`)}</p>
  </li>`
}

const EVENT_CODE = `parcours('Booking Confirmed', {props: {specialty: 'cardiologie'}})`
const STUB_CODE = `<script>window.parcours = window.parcours || function() { (window.parcours.q = window.parcours.q || []).push(arguments) }</script>`

export function SiteSection({ site }) {
  const [opts, setOpts] = useState({})
  const set = (k, v) => setOpts((o) => ({ ...o, [k]: v }))
  const chosen = OPTIONS.filter((o) => opts[o]).length + ((opts.exclude || '').trim() ? 1 : 0)
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.site.title')}>${t('settings.site.intro')}</${SectionHead}>

    <${Panel} id="site-details" title=${t('settings.site.details')}>
      <dl class="facts">
        <div><dt>${t('settings.site.domain')}</dt>
          <dd><code class="big" data-testid="site-domain">${site}</code>
            <p class="hint">${t('settings.site.domain_hint')}</p></dd></div>
        <div><dt>${t('settings.site.tz')}</dt>
          <dd><${TimeZone} site=${site} />
            <p class="hint">${t('settings.site.tz_hint')}</p></dd></div>
      </dl>
    </${Panel}>

    <${Panel} id="site-snippet" title=${t('settings.site.install')}
      footer=${html`<a href=${linkTo('settings', { section: 'install' })}>${t('settings.site.then_check')}</a>`}>
      <ol class="steps">
        <li>${t('settings.site.step_paste')}</li>
        <li>${chosen ? t('settings.site.step_options_some', { count: chosen }) : t('settings.site.step_options')}</li>
        <li>${t('settings.site.step_check')}</li>
      </ol>
      <${Snippet} domain=${site} opts=${opts} />
      <details class="more">
        <summary>${t('settings.site.noscript_title')}</summary>
        <p>${t('settings.site.noscript_body')}</p>
        <${CodeBox} text=${noscript(site)} label=${t('settings.site.noscript_label')} testid="noscript" />
      </details>
    </${Panel}>

    <${Panel} id="site-options" title=${t('settings.site.options')}>
      <p>${t('settings.site.options_intro')}</p>
      <ul class="options">
        ${OPTIONS.map((o) => html`<${Option} id=${o} checked=${!!opts[o]} onChange=${(v) => set(o, v)} />`)}
        <li class="option exclude">
          <label class="option-label" for="opt-exclude-input"><span><strong>${t('settings.site.opt.exclude.title')}</strong> <code>data-exclude</code></span></label>
          <p class="hint" id="opt-exclude">${t('settings.site.opt.exclude.body')}</p>
          <input id="opt-exclude-input" class="wide" value=${opts.exclude || ''} placeholder="/admin/*, /espace-patient/**"
            aria-describedby="opt-exclude" onInput=${(e) => set('exclude', e.target.value)} data-testid="opt-exclude" />
        </li>
      </ul>
      <p class="hint">${t('settings.site.options_more')}</p>
    </${Panel}>

    <${Panel} id="site-events" title=${t('settings.site.events')}
      footer=${html`<a href=${linkTo('settings', { section: 'goals' })}>${t('settings.site.events_goal')}</a>`}>
      <p>${t('settings.site.events_intro')}</p>
      <${CodeBox} text=${EVENT_CODE} label=${t('settings.site.events_label')} testid="event-code" />
      <p>${t('settings.site.events_props')}</p>
      <p class="callout-warn"><strong>${t('settings.site.events_warn_title')}</strong> ${t('settings.site.events_warn')}</p>
      <details class="more">
        <summary>${t('settings.site.stub_title')}</summary>
        <p>${t('settings.site.stub_body')}</p>
        <${CodeBox} text=${STUB_CODE} label=${t('settings.site.stub_label')} testid="stub-code" />
      </details>
    </${Panel}>
  </div>`
}
