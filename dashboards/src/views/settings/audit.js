/* Audit log (owners): the site's last 200 sign-ins, role changes, invitations, keys,
   shared links and settings changes, newest first, as the server wrote them. */

import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t, has, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { SectionHead } from './ui.js'

/** An action's name in words, or the server's own word for one this page does not know. */
export function actionLabel(action) {
  const key = `settings.audit.actions.${String(action).replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`
  return has(key) ? t(key) : null
}

/** A target as written (`someone@example.org:viewer` names a role: in words). */
function target(text) {
  const m = /^(.+):(viewer|editor|owner)$/.exec(text || '')
  return m ? `${m[1]} (${t(`role.${m[2]}`)})` : text || '–'
}

export function AuditSection({ site }) {
  const res = useApi((signal) => api.audit(site, { signal }), [site])
  const entries = res.data?.entries || []
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.audit.title')}>${t('settings.audit.intro')}</${SectionHead}>
    <${Panel} id="audit-list" title=${t('settings.audit.list')} footer=${t('settings.audit.note')}>
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : !entries.length
            ? html`<${Empty}>${t('settings.audit.empty')}</${Empty}>`
            : html`<div class="table-wrap"><table class="plain audit" data-testid="audit">
                <thead><tr><th scope="col">${t('settings.audit.col_at')}</th><th scope="col">${t('settings.audit.col_actor')}</th><th scope="col">${t('settings.audit.col_action')}</th><th scope="col">${t('settings.audit.col_target')}</th></tr></thead>
                <tbody>
                  ${entries.map((e) => {
                    const label = actionLabel(e.action)
                    return html`<tr data-action=${e.action}>
                      <td class="nowrap" data-label=${t('settings.audit.col_at')}>${fmt.stamp(e.at)}</td>
                      <td class="wrap" data-label=${t('settings.audit.col_actor')}>${e.actor || '–'}</td>
                      <td data-label=${t('settings.audit.col_action')}>${label || html`<code>${e.action}</code>`}</td>
                      <td class="wrap" data-label=${t('settings.audit.col_target')}>${target(e.target)}</td>
                    </tr>`
                  })}
                </tbody>
              </table></div>`}
    </${Panel}>
  </div>`
}
