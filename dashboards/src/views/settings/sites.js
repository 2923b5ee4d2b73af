/* A new site (server owners): its domain and time zone; then the dashboard opens its
   settings, where the tag to paste is. Also the page of an account with no site yet. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { navigate } from '../../state/store.js'
import { loadSites } from '../../state/site.js'
import { serverOwner } from '../../state/session.js'
import { ApiProblem, SectionHead } from './ui.js'

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return ['Europe/Paris', 'UTC']
  }
}

function guessZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Paris'
  } catch {
    return 'Europe/Paris'
  }
}

export function AddSite() {
  const [domain, setDomain] = useState('')
  const [tz, setTz] = useState(guessZone)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const list = zones()
  const submit = async (e) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const a = await api.sites.create(domain.trim(), tz)
      await loadSites()
      navigate({ site: a.domain || a.site_id || domain.trim(), view: 'settings', filters: [], extra: {} }, { keepExtra: false })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return html`<form class="settings-form" onSubmit=${submit} data-testid="site-form">
    <label>${t('settings.new_site.domain')}
      <input value=${domain} onInput=${(e) => setDomain(e.target.value)} required autocomplete="off" spellcheck=${false} placeholder="clinique-exemple.fr" aria-describedby="new-site-domain-hint" data-testid="new-site-domain" />
      <small class="hint" id="new-site-domain-hint">${t('settings.new_site.domain_hint')}</small>
    </label>
    <label>${t('settings.new_site.tz')}
      <select value=${tz} onChange=${(e) => setTz(e.target.value)} data-testid="new-site-tz">
        ${(list.includes(tz) ? list : [tz, ...list]).map((z) => html`<option value=${z}>${z}</option>`)}
      </select>
      <small class="hint">${t('settings.new_site.tz_hint')}</small>
    </label>
    <${ApiProblem} error=${error} />
    <div class="actions"><button type="submit" class="primary" disabled=${busy} data-testid="new-site-create">${busy ? t('settings.working') : t('settings.new_site.create')}</button></div>
  </form>`
}

export function NewSiteSection() {
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.new_site.title')}>${t('settings.new_site.intro')}</${SectionHead}>
    <${Panel} id="new-site" title=${t('settings.new_site.form')}><${AddSite} /></${Panel}>
  </div>`
}

/** An account that opens no site yet: a server owner adds one; anybody else waits for an invitation. */
export function NoSites() {
  return html`<div class="view settings no-sites" data-testid="no-sites">
    <div class="panel callout">
      <h1>${t('settings.new_site.none_title')}</h1>
      <p>${serverOwner() ? t('settings.new_site.none_owner') : t('settings.new_site.none_member')}</p>
    </div>
    ${serverOwner() ? html`<${Panel} id="new-site" title=${t('settings.new_site.form')}><${AddSite} /></${Panel}>` : null}
  </div>`
}
