/* Saved funnels: each with its steps in order, a link to open it in the Funnels view,
   and deletion with confirmation. Funnels are built and saved in the Funnels view. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t, has } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { linkTo } from '../../state/store.js'
import { loadDefs } from '../../state/site.js'
import { can } from '../../state/session.js'
import { SectionHead, Notice, useNotice, ConfirmDialog } from './ui.js'

const KINDS = ['content_group', 'page', 'goal', 'event']

function Step({ s }) {
  const kind = KINDS.find((k) => s[k] !== undefined && s[k] !== null && s[k] !== '')
  const target = kind ? s[kind] : ''
  const props = s.props && Object.keys(s.props).length ? Object.entries(s.props).map(([k, v]) => `${k} = ${v}`).join(', ') : ''
  return html`<li class="funnel-step">
    <span class="step-name">${s.name || target}</span>
    ${kind
      ? html`<span class="step-what">${t(`settings.funnels.kind.${kind}`)} ${kind === 'page' || kind === 'event' ? html`<code>${target}</code>` : target !== s.name ? html`<em>${target}</em>` : null}${props ? html` <span class="hint">(${props})</span>` : null}</span>`
      : null}
  </li>`
}

/** `1d`, `30m`, `2h` in words. */
function windowText(w) {
  const m = /^(\d+)\s*([smhd])$/.exec(String(w || '1d'))
  if (!m) return String(w)
  return t(`settings.funnels.win_${m[2]}`, { count: +m[1] })
}

function dimText(d) {
  const short = String(d).replace(/^(visit|event):/, '')
  return has(`dim.${short}`) ? t(`dim.${short}`) : short
}

export function FunnelsSection({ site }) {
  const res = useApi(() => api.funnels.list(site), [site])
  const [deleting, setDeleting] = useState(null)
  const [msg, notice] = useNotice()
  const funnels = res.data?.funnels || []
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.funnels.title')}>${t('settings.funnels.intro')}</${SectionHead}>
    <${Notice} msg=${msg} />
    <${Panel} id="funnels-list" title=${t('settings.funnels.list')}
      footer=${html`<a href=${linkTo('funnels')}>${t('settings.funnels.build')}</a>`}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !funnels.length
            ? html`<${Empty}>${t('settings.funnels.empty')} <a href=${linkTo('funnels')}>${t('settings.funnels.empty_link')}</a></${Empty}>`
            : html`<ul class=${res.loading ? 'funnel-list stale' : 'funnel-list'} data-testid="funnels">
                ${funnels.map(
                  (f) => html`<li class="funnel-card" key=${f.name}>
                    <div class="funnel-head">
                      <h3 class="funnel-name">${f.name}</h3>
                      <div class="def-actions">
                        <a class="button small" href=${linkTo('funnels', { funnel: f.name })}>${t('settings.funnels.open')}<span class="sr-only"> ${f.name}</span></a>
                        ${can(site, 'editor') ? html`<button type="button" class="small danger" onClick=${() => setDeleting(f)} data-testid="funnel-delete">${t('action.delete')}<span class="sr-only"> ${f.name}</span></button>` : null}
                      </div>
                    </div>
                    <ol class="funnel-steps" aria-label=${t('settings.funnels.steps', { count: (f.steps || []).length })}>
                      ${(f.steps || []).map((s) => html`<${Step} s=${s} />`)}
                    </ol>
                    <p class="hint">
                      ${t('settings.funnels.steps', { count: (f.steps || []).length })} · ${t('settings.funnels.within', { window: windowText(f.window) })}${f.breakdown ? ` · ${t('settings.funnels.by', { dim: dimText(f.breakdown) })}` : ''}${f.filters?.length ? ` · ${t('settings.funnels.filters', { count: f.filters.length })}` : ''}
                    </p>
                  </li>`,
                )}
              </ul>`}
    </${Panel}>

    ${deleting
      ? html`<${ConfirmDialog} title=${t('settings.funnels.delete_title', { name: deleting.name })} confirmLabel=${t('settings.funnels.delete_confirm')}
          onClose=${() => setDeleting(null)}
          onConfirm=${async () => {
            await api.funnels.remove(site, deleting.name)
            res.reload()
            await loadDefs(site)
            notice(t('settings.funnels.deleted', { name: deleting.name }))
          }}>
          <p>${t('settings.funnels.delete_body')}</p>
        </${ConfirmDialog}>`
      : null}
  </div>`
}
