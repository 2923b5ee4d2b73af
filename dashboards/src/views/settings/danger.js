/* Deleting the site (owners): everything it holds is listed, the domain is typed to
   confirm, then the dashboard moves to another site or to the empty state. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { navigate } from '../../state/store.js'
import { sites, loadSites } from '../../state/site.js'
import { SectionHead, ApiProblem } from './ui.js'

export function DangerSection({ site }) {
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const ok = typed.trim() === site
  const remove = async (e) => {
    e.preventDefault()
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      await api.sites.remove(site, typed.trim())
      await loadSites()
      const next = (sites.value || []).find((s) => s.domain !== site)
      navigate({ site: next ? next.domain : null, view: 'overview', filters: [], extra: {} }, { keepExtra: false })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.danger.title')}>${t('settings.danger.intro')}</${SectionHead}>
    <${Panel} id="danger-site" title=${t('settings.danger.delete_title', { site })}>
      <p>${t('settings.danger.what')}</p>
      <ul class="bullets">
        <li>${t('settings.danger.events')}</li>
        <li>${t('settings.danger.defs')}</li>
        <li>${t('settings.danger.access')}</li>
      </ul>
      <p class="callout-warn"><strong>${t('settings.danger.final_title')}</strong> ${t('settings.danger.final')}</p>
      <form class="settings-form" onSubmit=${remove} data-testid="danger-form">
        <label>${t('settings.danger.type', { site })}
          <input value=${typed} onInput=${(e) => setTyped(e.target.value)} autocomplete="off" spellcheck=${false} placeholder=${site} data-testid="danger-confirm" />
        </label>
        <${ApiProblem} error=${error} />
        <div class="actions"><button type="submit" class="danger strong" disabled=${!ok || busy} data-testid="danger-delete">${busy ? t('settings.working') : t('settings.danger.delete', { site })}</button></div>
      </form>
    </${Panel}>
  </div>`
}
