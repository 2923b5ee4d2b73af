/* API keys (owners): what a key opens, the site's live keys (their prefix, never the
   key), a new key (full or read-only, shown once) and revocation with confirmation. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi, useAction } from '../../api/use.js'
import { SectionHead, Notice, useNotice, ApiProblem, ConfirmDialog } from './ui.js'
import { ShownOnce } from './shown-once.js'

function CreateKey({ site, onCreated }) {
  const [name, setName] = useState('')
  const [readOnly, setReadOnly] = useState(true)
  const [key, setKey] = useState('')
  const { busy, error, run } = useAction()
  const create = (e) => {
    e?.preventDefault()
    return run(async () => {
      const a = await api.keys.create(site, name.trim(), readOnly)
      setKey(a.key)
      setName('')
      onCreated()
    })
  }
  if (key) {
    return html`<${ShownOnce} value=${key} label=${t('settings.keys.new_key')} copyWhat=${t('settings.keys.copy_what')}
      warnTitle=${t('settings.keys.once_title')} warn=${t('settings.keys.once')} onDone=${() => setKey('')} testid="new-key">
      <p class="hint">${t('settings.keys.store')}</p>
    </${ShownOnce}>`
  }
  return html`<form class="settings-form" onSubmit=${create} data-testid="key-form">
    <p>${t('settings.keys.create_intro')}</p>
    <label>${t('settings.keys.name')}
      <input value=${name} onInput=${(e) => setName(e.target.value)} maxlength="120" placeholder=${t('settings.keys.name_ph')} aria-describedby="key-name-hint" data-testid="key-name" />
      <small class="hint" id="key-name-hint">${t('settings.keys.name_hint')}</small>
    </label>
    <label class="check inline"><input type="checkbox" checked=${readOnly} onChange=${(e) => setReadOnly(e.target.checked)} data-testid="key-read-only" /> ${t('settings.keys.read_only')}</label>
    <p class="hint">${readOnly ? t('settings.keys.read_only_hint') : t('settings.keys.full_hint')}</p>
    <${ApiProblem} error=${error} onRetry=${create} />
    <div class="actions"><button type="submit" class="primary" disabled=${busy} data-testid="key-create">${busy ? t('settings.working') : t('settings.keys.create')}</button></div>
  </form>`
}

export function KeysSection({ site }) {
  const res = useApi(() => api.keys.list(site), [site])
  const [revoking, setRevoking] = useState(null)
  const [msg, notice] = useNotice()
  const keys = res.data?.keys || []
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.keys.title')}>${t('settings.keys.intro', { site })}</${SectionHead}>
    <${Notice} msg=${msg} />

    <${Panel} id="keys-list" title=${t('settings.keys.list')}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !keys.length
            ? html`<${Empty}>${t('settings.keys.empty')}</${Empty}>`
            : html`<ul class=${res.loading ? 'defs stale' : 'defs'} data-testid="keys">
                ${keys.map(
                  (k) => html`<li class="def" key=${k.id} data-id=${k.id}>
                    <div class="def-main">
                      <strong class="def-name">${k.name || t('settings.keys.unnamed')}</strong>
                      <span class="def-what"><code>${k.prefix}…</code> · ${k.read_only ? t('settings.keys.access_read') : t('settings.keys.access_full')} · ${t('settings.keys.created', { when: fmt.stamp(k.created_at) })}</span>
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${() => setRevoking(k)} data-testid="key-revoke">${t('settings.keys.revoke_button')}<span class="sr-only"> ${k.name || k.prefix}</span></button>
                    </div>
                  </li>`,
                )}
              </ul>`}
    </${Panel}>

    <${Panel} id="keys-create" title=${t('settings.keys.create_title')}>
      <${CreateKey} site=${site} onCreated=${res.reload} />
    </${Panel}>

    <${Panel} id="keys-what" title=${t('settings.keys.what')}>
      <ul class="bullets">
        <li>${t('settings.keys.opens', { site })}</li>
        <li>${t('settings.keys.not_opens')}</li>
        <li>${t('settings.keys.uses')}</li>
        <li>${t('settings.keys.secret')}</li>
      </ul>
    </${Panel}>

    ${revoking
      ? html`<${ConfirmDialog} title=${t('settings.keys.revoke_title', { name: revoking.name || revoking.prefix })} confirmLabel=${t('settings.keys.revoke_confirm')}
          onClose=${() => setRevoking(null)}
          onConfirm=${async () => {
            await api.keys.revoke(site, revoking.id)
            res.reload()
            notice(t('settings.keys.revoked', { name: revoking.name || revoking.prefix }))
          }}>
          <p>${t('settings.keys.revoke_body')}</p>
        </${ConfirmDialog}>`
      : null}
  </div>`
}
