/* API keys: what a key opens, and a button that creates one and shows it once.
   Listing and revoking keys come with accounts; today an operator revokes a key on
   the server. */

import { useState, useRef, useEffect } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { SectionHead, ApiProblem } from './ui.js'
import { CopyButton } from '../../components/copy.js'

export function KeysSection({ site }) {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const shown = useRef()
  // The new key lives in this component only: leaving the section forgets it.
  useEffect(() => {
    if (key) shown.current?.focus()
  }, [key])
  const create = async () => {
    setBusy(true)
    setError(null)
    try {
      const a = await api.keys.create(site)
      setKey(a.key)
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.keys.title')}>${t('settings.keys.intro', { site })}</${SectionHead}>

    <${Panel} id="keys-what" title=${t('settings.keys.what')}>
      <ul class="bullets">
        <li>${t('settings.keys.opens', { site })}</li>
        <li>${t('settings.keys.not_opens')}</li>
        <li>${t('settings.keys.uses')}</li>
        <li>${t('settings.keys.secret')}</li>
      </ul>
    </${Panel}>

    <${Panel} id="keys-create" title=${t('settings.keys.create_title')}>
          ${key
            ? html`<div class="new-key" data-testid="new-key">
                <p class="new-key-warn" role="alert"><strong>${t('settings.keys.once_title')}</strong> ${t('settings.keys.once')}</p>
                <label for="new-key-value">${t('settings.keys.new_key')}</label>
                <div class="key-row">
                  <input id="new-key-value" ref=${shown} class="key-value" readonly value=${key} onFocus=${(e) => e.target.select()} spellcheck="false" data-testid="new-key-value" />
                  <${CopyButton} text=${key} what=${t('settings.keys.copy_what')} primary />
                </div>
                <p class="hint">${t('settings.keys.store')}</p>
                <button type="button" class="ghost small" onClick=${() => setKey('')}>${t('settings.keys.done')}</button>
              </div>`
            : html`<p>${t('settings.keys.create_intro')}</p>
                <${ApiProblem} error=${error} onRetry=${create} />
                <button type="button" class="primary" onClick=${create} disabled=${busy} data-testid="key-create">${busy ? t('settings.working') : t('settings.keys.create')}</button>`}
        </${Panel}>

    <${Panel} id="keys-revoke" title=${t('settings.keys.revoke_title')}>
      <p>${t('settings.keys.revoke')}</p>
    </${Panel}>
  </div>`
}
