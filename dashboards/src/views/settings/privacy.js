/* Privacy: the site's own protection settings (sensitive pages, minimum group size,
   cities, Do-Not-Track, referring professionals, query-string keys, retention,
   consented journeys), explained for a clinic and saved with only the changed fields. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote } from '../../components/states.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { sites, sitesError, siteInfo, loadSites } from '../../state/site.js'
import { can } from '../../state/session.js'
import { SectionHead, Notice, useNotice, ApiProblem, ReadOnlyNote, lines } from './ui.js'

const LISTS = ['sensitive_paths', 'partner_domains', 'query_allow']
const NUMBERS = ['min_group_size', 'retention_months']
const FLAGS = ['respect_dnt', 'city_enabled']

// The `parcours sites set` option of each setting, for the administrator.

function toForm(info) {
  const f = {}
  for (const k of LISTS) f[k] = (info[k] || []).join('\n')
  for (const k of NUMBERS) f[k] = info[k] === undefined || info[k] === null ? '' : String(info[k])
  for (const k of FLAGS) f[k] = !!info[k]
  return f
}

/** The fields whose value differs from the saved site, in the API's types. */
function changes(info, f) {
  const out = {}
  for (const k of LISTS) {
    const v = lines(f[k], { commas: k !== 'sensitive_paths' })
    if (JSON.stringify(v) !== JSON.stringify(info[k] || [])) out[k] = v
  }
  for (const k of NUMBERS) {
    const v = f[k].trim() === '' ? null : Number(f[k])
    if (v !== null && v !== info[k]) out[k] = v
  }
  for (const k of FLAGS) if (f[k] !== !!info[k]) out[k] = f[k]
  return out
}

function Help({ id }) {
  return html`<p class="hint field-help" id=${'help-' + id}>${t(`settings.privacy.${id}.help`)}</p>`
}

function ListField({ id, f, set, placeholder, rows = 3 }) {
  return html`<div class="field">
    <label for=${'f-' + id}>${t(`settings.privacy.${id}.label`)}</label>
    <${Help} id=${id} />
    <textarea id=${'f-' + id} rows=${rows} value=${f[id]} onInput=${(e) => set(id, e.target.value)} placeholder=${placeholder}
      aria-describedby=${'help-' + id} spellcheck=${false} autocapitalize="off" data-testid=${'f-' + id}></textarea>
    <small class="hint">${t('settings.privacy.one_per_line')}</small>
  </div>`
}

function NumberField({ id, f, set, min, max, unit, warn }) {
  return html`<div class="field">
    <label for=${'f-' + id}>${t(`settings.privacy.${id}.label`)}</label>
    <${Help} id=${id} />
    <span class="with-unit">
      <input id=${'f-' + id} type="number" min=${min} max=${max} step="1" value=${f[id]} onInput=${(e) => set(id, e.target.value)}
        aria-describedby=${'help-' + id + (warn ? ' warn-' + id : '')} data-testid=${'f-' + id} />
      <span aria-hidden="true">${unit}</span>
    </span>
    ${warn ? html`<p class="warn hint" id=${'warn-' + id}>${warn}</p>` : null}
  </div>`
}

function FlagField({ id, f, set }) {
  return html`<div class="field flag">
    <label class="check">
      <input type="checkbox" checked=${f[id]} onChange=${(e) => set(id, e.target.checked)} aria-describedby=${'help-' + id} data-testid=${'f-' + id} />
      <span>${t(`settings.privacy.${id}.label`)}</span>
    </label>
    <${Help} id=${id} />
  </div>`
}

/** Consented journeys are switched on the server's command line only: shown, explained. */
function Consent({ site, on }) {
  return html`<div class="field" data-testid="f-consented_journeys">
    <span class="field-label">${t('settings.privacy.consented_journeys.label')}</span>
    <p class="consent-state"><strong>${t(on ? 'settings.privacy.consented_journeys.on' : 'settings.privacy.consented_journeys.off')}</strong></p>
    <${Help} id="consented_journeys" />
    <p class="hint">${t('settings.privacy.consented_journeys.admin')} <code>${`parcours sites set ${site} --consent-journeys ${on ? 'false' : 'true'}`}</code></p>
  </div>`
}

function PrivacyForm({ site, info, onSaved, readOnly }) {
  const [f, setF] = useState(() => toForm(info))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(null)
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }))
  const diff = changes(info, f)
  const n = Object.keys(diff).length
  const submit = async (e) => {
    e.preventDefault()
    if (!n) return
    setBusy(true)
    setError(null)
    try {
      await api.sites.update({ site_id: site, ...diff })
      await onSaved(Object.keys(diff))
    } catch (err) {
      setError(err)
    }
    setBusy(false)
  }
  const retention = Number(f.retention_months)
  const k = Number(f.min_group_size)
  return html`<form class="settings-form privacy-form" onSubmit=${submit} data-testid="privacy-form" aria-label=${t('settings.privacy.form')}>
    <fieldset class="bare" disabled=${readOnly}>
    <${Panel} id="privacy-protect" title=${t('settings.privacy.protect')}>
      <${ListField} id="sensitive_paths" f=${f} set=${set} placeholder=${'/pathologies/**\n/traitements/**'} />
      <${NumberField} id="min_group_size" f=${f} set=${set} min="2" max="1000" unit=${t('settings.privacy.visitors_unit')}
        warn=${f.min_group_size !== '' && k >= 2 && k < 5 ? t('settings.privacy.min_group_size.low') : null} />
      <${FlagField} id="city_enabled" f=${f} set=${set} />
      <${FlagField} id="respect_dnt" f=${f} set=${set} />
    </${Panel}>
    <${Panel} id="privacy-sources" title=${t('settings.privacy.sources')}>
      <${ListField} id="partner_domains" f=${f} set=${set} placeholder=${'cabinet-dupont.fr\nmaison-sante-exemple.fr'} />
      <${ListField} id="query_allow" f=${f} set=${set} placeholder="lang" rows="2" />
    </${Panel}>
    <${Panel} id="privacy-time" title=${t('settings.privacy.time')}>
      <${NumberField} id="retention_months" f=${f} set=${set} min="1" max="120" unit=${t('settings.privacy.months_unit')}
        warn=${f.retention_months !== '' && retention >= 1 && retention < (info.retention_months || 0) ? t('settings.privacy.retention_months.lower', { months: retention }) : null} />
      ${info.consented_journeys !== undefined ? html`<${Consent} site=${site} on=${!!info.consented_journeys} />` : null}
    </${Panel}>
    </fieldset>
    ${readOnly ? null : html`<div class=${n ? 'save-bar dirty' : 'save-bar'} data-testid="privacy-save-bar">
      <${ApiProblem} error=${error} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${!n || busy} data-testid="privacy-save">${busy ? t('settings.working') : t('settings.privacy.save', { count: n })}</button>
        <button type="button" class="ghost" disabled=${!n || busy} onClick=${() => {
          setF(toForm(info))
          setError(null)
        }}>${t('settings.privacy.undo')}</button>
        <span class="hint" aria-live="polite">${n ? t('settings.privacy.unsaved', { count: n }) : t('settings.privacy.no_changes')}</span>
      </div>
    </div>`}
  </form>`
}

export function PrivacySection({ site }) {
  const readOnly = !can(site, 'owner')
  const [msg, notice] = useNotice()
  const info = siteInfo(site)
  let body
  if (sites.value === null) body = html`<${Loading} />`
  else if (!info) body = html`<${ErrorNote} error=${sitesError.value} onRetry=${loadSites} />`
  else {
    body = html`${readOnly ? html`<${ReadOnlyNote} />` : null}<${PrivacyForm} key=${JSON.stringify(info)} site=${site} info=${info} readOnly=${readOnly}
      onSaved=${async (fields) => {
        await loadSites()
        notice(t('settings.privacy.saved', { count: fields.length }))
      }} />`
  }
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.privacy.title')}>${t('settings.privacy.intro')}</${SectionHead}>
    <${Notice} msg=${msg} />
    ${body}
  </div>`
}
