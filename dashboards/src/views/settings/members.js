/* Members (owners): who reads or changes the site, with their role; invitations by
   link (Parcours sends no e-mail: the owner passes the link on), shown once; pending
   invitations with cancellation. Server owners own every site and are not changed here. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { t, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi, useAction } from '../../api/use.js'
import { loadSites } from '../../state/site.js'
import { SectionHead, Notice, useNotice, ApiProblem, ConfirmDialog } from './ui.js'
import { ShownOnce } from './shown-once.js'

export const ROLES = ['viewer', 'editor', 'owner']

function RoleSelect({ value, onChange, id, label, disabled, testid }) {
  return html`<label class="inline" for=${id}><span class="sr-only">${label}</span>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.target.value)} disabled=${disabled} data-testid=${testid}>
      ${ROLES.map((r) => html`<option value=${r}>${t(`role.${r}`)}</option>`)}
    </select></label>`
}

function Invite({ site, onInvited }) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState('viewer')
  const [link, setLink] = useState(null)
  const { busy, error, run } = useAction()
  const submit = (e) => {
    e.preventDefault()
    return run(async () => {
      const a = await api.invitations.create(site, email.trim(), role)
      setLink({ url: location.origin + a.path, email: email.trim(), expires: a.expires_at })
      setEmail('')
      onInvited()
    })
  }
  if (link) {
    return html`<${ShownOnce} value=${link.url} label=${t('settings.members.link_for', { email: link.email })} copyWhat=${t('settings.members.copy_what')}
      warnTitle=${t('settings.members.once_title')} warn=${t('settings.members.once')} onDone=${() => setLink(null)} testid="invite-link">
      <p class="hint">${t('settings.members.no_email')}</p>
      <p class="hint">${t('settings.members.expires', { when: fmt.stamp(link.expires) })}</p>
    </${ShownOnce}>`
  }
  return html`<form class="settings-form" onSubmit=${submit} data-testid="invite-form">
    <label>${t('settings.members.email')}
      <input type="email" value=${email} onInput=${(e) => setEmail(e.target.value)} required autocomplete="off" placeholder=${t('settings.members.email_ph')} data-testid="invite-email" />
    </label>
    <fieldset class="choice">
      <legend>${t('settings.members.role')}</legend>
      ${ROLES.map(
        (r) => html`<label class="check"><input type="radio" name="invite-role" value=${r} checked=${role === r} onChange=${() => setRole(r)} data-testid=${'invite-role-' + r} />
          <span><strong>${t(`role.${r}`)}</strong> <span class="hint">${t(`role_can.${r}`)}</span></span></label>`,
      )}
    </fieldset>
    <${ApiProblem} error=${error} />
    <div class="actions"><button type="submit" class="primary" disabled=${busy} data-testid="invite-create">${busy ? t('settings.working') : t('settings.members.invite')}</button></div>
    <p class="hint">${t('settings.members.invite_hint')}</p>
  </form>`
}

export function MembersSection({ site }) {
  const res = useApi(() => api.members.list(site), [site])
  const [removing, setRemoving] = useState(null)
  const [changing, setChanging] = useState('')
  const [error, setError] = useState(null)
  const [msg, notice] = useNotice()
  const members = res.data?.members || []
  const invitations = res.data?.invitations || []
  const setRole = async (m, role) => {
    setChanging(m.email)
    setError(null)
    try {
      await api.members.setRole(site, m.email, role)
      notice(t('settings.members.role_changed', { email: m.email, role: t(`role.${role}`) }))
      // Your own role changed: what this page offers changes with it.
      if (m.you) await loadSites()
    } catch (err) {
      setError(err)
    }
    res.reload()
    setChanging('')
  }
  const cancel = async (inv) => {
    setError(null)
    try {
      await api.invitations.cancel(site, inv.id)
      notice(t('settings.members.cancelled', { email: inv.email }))
    } catch (err) {
      setError(err)
    }
    res.reload()
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.members.title')}>${t('settings.members.intro', { site })}</${SectionHead}>
    <${Notice} msg=${msg} />

    <${Panel} id="members-list" title=${t('settings.members.list')} footer=${t('settings.members.roles_note')}>
      <${ApiProblem} error=${error} />
      ${res.error
        ? html`<${ErrorNote} error=${res.error} onRetry=${res.reload} />`
        : !res.data
          ? html`<${Loading} />`
          : html`<ul class=${res.loading ? 'defs stale' : 'defs'} data-testid="members">
              ${members.map(
                (m, i) => html`<li class="def member" key=${m.email} data-email=${m.email}>
                  <div class="def-main">
                    <strong class="def-name">${m.email}${m.you ? html` <span class="badge">${t('settings.members.you')}</span>` : null}</strong>
                    <span class="def-what">${m.server_owner ? t('settings.members.server_owner') : t(`role_can.${m.role}`)}</span>
                  </div>
                  <div class="def-actions">
                    ${m.server_owner
                      ? html`<span class="role-fixed">${t('role.owner')}</span>`
                      : html`<${RoleSelect} id=${'member-role-' + i} value=${m.role} label=${t('settings.members.role_of', { email: m.email })}
                          disabled=${changing === m.email} onChange=${(r) => setRole(m, r)} testid="member-role" />
                        <button type="button" class="small danger" onClick=${() => setRemoving(m)} data-testid="member-remove">${t('settings.members.remove')}<span class="sr-only"> ${m.email}</span></button>`}
                  </div>
                </li>`,
              )}
            </ul>`}
    </${Panel}>

    <${Panel} id="members-invite" title=${t('settings.members.invite_title')}>
      <${Invite} site=${site} onInvited=${res.reload} />
    </${Panel}>

    <${Panel} id="members-pending" title=${t('settings.members.pending')}>
      ${!res.data
        ? res.error ? null : html`<${Loading} lines=${1} />`
        : !invitations.length
          ? html`<${Empty}>${t('settings.members.pending_none')}</${Empty}>`
          : html`<ul class="defs" data-testid="invitations">
              ${invitations.map(
                (inv) => html`<li class="def" key=${inv.id}>
                  <div class="def-main">
                    <strong class="def-name">${inv.email}</strong>
                    <span class="def-what">${t(`role.${inv.role}`)} · ${t('settings.members.expires_short', { when: fmt.stamp(inv.expires_at) })}</span>
                  </div>
                  <div class="def-actions">
                    <button type="button" class="small" onClick=${() => cancel(inv)} data-testid="invitation-cancel">${t('settings.members.cancel')}<span class="sr-only"> ${inv.email}</span></button>
                  </div>
                </li>`,
              )}
            </ul>`}
    </${Panel}>

    ${removing
      ? html`<${ConfirmDialog} title=${t('settings.members.remove_title', { email: removing.email })} confirmLabel=${t('settings.members.remove_confirm')}
          onClose=${() => setRemoving(null)}
          onConfirm=${async () => {
            await api.members.remove(site, removing.email)
            res.reload()
            notice(t('settings.members.removed', { email: removing.email }))
            if (removing.you) await loadSites()
          }}>
          <p>${removing.you ? t('settings.members.remove_you') : t('settings.members.remove_body', { site })}</p>
        </${ConfirmDialog}>`
      : null}
  </div>`
}
