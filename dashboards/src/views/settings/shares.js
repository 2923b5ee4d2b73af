/* Shared links (owners): a read-only dashboard of the site for people without an
   account (a board, a partner), optionally behind a password, optionally held to the
   filters open now, optionally allowed inside other sites' pages. Each link is shown
   once; the list says what each opens, and any may be revoked. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { FixedFilters } from '../../components/filters.js'
import { t, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi, useAction } from '../../api/use.js'
import { base } from '../../state/store.js'
import { SectionHead, Notice, useNotice, ApiProblem, ConfirmDialog, lines } from './ui.js'
import { ShownOnce } from './shown-once.js'

function CreateShare({ site, onCreated }) {
  const filters = base.value.filters
  const [f, setF] = useState({ name: '', password: '', limit: false, origins: '' })
  const [link, setLink] = useState('')
  const { busy, error, run } = useAction()
  const set = (k) => (e) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value })
  const submit = (e) => {
    e.preventDefault()
    const body = { site_id: site, name: f.name.trim() }
    if (f.password) body.password = f.password
    if (f.limit && filters.length) body.filters = filters
    const origins = lines(f.origins, { commas: true })
    if (origins.length) body.embed_origins = origins
    return run(async () => {
      const a = await api.shares.create(body)
      setLink(location.origin + a.path)
      setF({ name: '', password: '', limit: false, origins: '' })
      onCreated()
    })
  }
  if (link) {
    return html`<${ShownOnce} value=${link} label=${t('settings.shares.link')} copyWhat=${t('settings.shares.copy_what')}
      warnTitle=${t('settings.shares.once_title')} warn=${t('settings.shares.once')} onDone=${() => setLink('')} testid="share-link">
      <p class="hint">${t('settings.shares.send')}</p>
    </${ShownOnce}>`
  }
  return html`<form class="settings-form" onSubmit=${submit} data-testid="share-form">
    <label>${t('settings.shares.name')}
      <input value=${f.name} onInput=${set('name')} required maxlength="120" placeholder=${t('settings.shares.name_ph')} aria-describedby="share-name-hint" data-testid="share-name" />
      <small class="hint" id="share-name-hint">${t('settings.shares.name_hint')}</small>
    </label>
    <label>${t('settings.shares.password')}
      <input type="password" value=${f.password} onInput=${set('password')} autocomplete="new-password" aria-describedby="share-pw-hint" data-testid="share-password" />
      <small class="hint" id="share-pw-hint">${t('settings.shares.password_hint')}</small>
    </label>
    <div>
      <label class="check inline"><input type="checkbox" checked=${f.limit && filters.length > 0} disabled=${!filters.length} onChange=${set('limit')} data-testid="share-limit" /> ${t('settings.shares.limit')}</label>
      ${filters.length
        ? html`<${FixedFilters} filters=${filters} label=${t('settings.shares.current')} />`
        : html`<p class="hint">${t('settings.shares.no_filters')}</p>`}
    </div>
    <label>${t('settings.shares.origins')}
      <textarea rows="2" value=${f.origins} onInput=${set('origins')} placeholder="https://intranet.clinique-exemple.fr" aria-describedby="share-origins-hint" data-testid="share-origins"></textarea>
      <small class="hint" id="share-origins-hint">${t('settings.shares.origins_hint')}</small>
    </label>
    <${ApiProblem} error=${error} />
    <div class="actions"><button type="submit" class="primary" disabled=${busy} data-testid="share-create">${busy ? t('settings.working') : t('settings.shares.create')}</button></div>
  </form>`
}

export function SharesSection({ site }) {
  const res = useApi(() => api.shares.list(site), [site])
  const [revoking, setRevoking] = useState(null)
  const [msg, notice] = useNotice()
  const shares = res.data?.shares || []
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.shares.title')}>${t('settings.shares.intro', { site })}</${SectionHead}>
    <${Notice} msg=${msg} />

    <${Panel} id="shares-create" title=${t('settings.shares.create_title')}>
      <${CreateShare} site=${site} onCreated=${res.reload} />
    </${Panel}>

    <${Panel} id="shares-list" title=${t('settings.shares.list')}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !shares.length
            ? html`<${Empty}>${t('settings.shares.empty')}</${Empty}>`
            : html`<ul class=${res.loading ? 'defs stale' : 'defs'} data-testid="shares">
                ${shares.map(
                  (s) => html`<li class="def" key=${s.id} data-id=${s.id}>
                    <div class="def-main">
                      <strong class="def-name">${s.name}</strong>
                      <span class="def-what">${t('settings.shares.created', { when: fmt.stamp(s.created_at) })} · ${s.password ? t('settings.shares.with_password') : t('settings.shares.without_password')}</span>
                      ${s.filters?.length ? html`<${FixedFilters} filters=${s.filters} label=${t('settings.shares.limited_to')} />` : null}
                      ${s.embed_origins?.length ? html`<span class="def-what">${t('settings.shares.embedded_in')} ${s.embed_origins.map((o) => html`<code>${o}</code> `)}</span>` : null}
                    </div>
                    <div class="def-actions">
                      <button type="button" class="small danger" onClick=${() => setRevoking(s)} data-testid="share-revoke">${t('settings.shares.revoke')}<span class="sr-only"> ${s.name}</span></button>
                    </div>
                  </li>`,
                )}
              </ul>`}
    </${Panel}>

    ${revoking
      ? html`<${ConfirmDialog} title=${t('settings.shares.revoke_title', { name: revoking.name })} confirmLabel=${t('settings.shares.revoke_confirm')}
          onClose=${() => setRevoking(null)}
          onConfirm=${async () => {
            await api.shares.revoke(site, revoking.id)
            res.reload()
            notice(t('settings.shares.revoked', { name: revoking.name }))
          }}>
          <p>${t('settings.shares.revoke_body')}</p>
        </${ConfirmDialog}>`
      : null}
  </div>`
}
