/* The start point (or flows anchor) picker: a kind (content group, page pattern, event,
   goal) and its value. Groups and goals are chosen from the site's definitions; pages
   and events are typed, with the period's most visited ones offered. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { base, linkTo } from '../../state/store.js'
import { defs } from '../../state/site.js'
import { canEditDefs } from '../../state/session.js'
import { KINDS } from './model.js'

const SUGGEST = { page: 'event:page', event: 'event:name' }

export function StartPicker({ step, label, onChange }) {
  const { groups, goals } = defs.value
  const [kind, setKind] = useState(step.kind)
  const [text, setText] = useState(step.kind === kind ? step.value : '')
  const dim = SUGGEST[kind]
  const sugg = useApi(
    (signal) =>
      dim
        ? api.query({ ...base.value, metrics: ['visitors'], dimensions: [dim], pagination: { limit: 40 } }, { signal })
        : Promise.resolve(null),
    [dim, JSON.stringify(base.value)],
  )
  const options = (sugg.data?.results || []).map((r) => r.dimensions[0]).filter((v) => v && v !== '(other)' && v !== 'pageview')
  const chooseKind = (k) => {
    setKind(k)
    setText(k === step.kind ? step.value : '')
    if (k === 'group' && groups[0]) onChange({ kind: k, value: groups.some((g) => g.name === step.value) ? step.value : groups[0].name })
    if (k === 'goal' && goals[0]) onChange({ kind: k, value: goals.some((g) => g.name === step.value) ? step.value : goals[0].name })
  }
  const submit = (e) => {
    e.preventDefault()
    const v = text.trim()
    if (v) onChange({ kind, value: v })
  }
  const list = kind === 'group' ? groups : kind === 'goal' ? goals : null
  return html`<form class="jr-start" onSubmit=${submit} role="group" aria-label=${label}>
    <label class="inline">${label}
      <select value=${kind} onChange=${(e) => chooseKind(e.target.value)} data-testid="jr-kind">
        ${KINDS.map(([k]) => html`<option value=${k}>${t(`journeys.kind.${k}`)}</option>`)}
      </select>
    </label>
    ${list
      ? list.length
        ? html`<label class="inline"><span class="sr-only">${t(`journeys.kind.${kind}`)}</span>
            <select value=${step.kind === kind ? step.value : ''} onChange=${(e) => onChange({ kind, value: e.target.value })} data-testid="jr-value" translate="no">
              ${step.kind === kind && !list.some((g) => g.name === step.value) ? html`<option value=${step.value}>${step.value}</option>` : null}
              ${list.map((g) => html`<option value=${g.name}>${g.name}</option>`)}
            </select>
          </label>`
        : html`<span class="hint">${t(kind === 'group' ? 'journeys.no_groups' : 'goals.none')}
            ${canEditDefs() ? html`<a href=${linkTo('settings', { section: kind === 'group' ? 'groups' : 'goals' })}>${t(kind === 'group' ? 'journeys.define_group' : 'goals.define')}</a>` : null}</span>`
      : html`<label class="inline"><span class="sr-only">${t(`journeys.kind.${kind}`)}</span>
          <input value=${text} onInput=${(e) => setText(e.target.value)} list="jr-suggest" data-testid="jr-value"
            placeholder=${kind === 'page' ? t('journeys.page_placeholder') : t('journeys.event_placeholder')} />
        </label>
        <datalist id="jr-suggest">${options.map((o) => html`<option value=${o} />`)}</datalist>
        <button type="submit" class="small">${t('action.apply')}</button>
        ${kind === 'page' ? html`<span class="hint">${t('journeys.page_hint')}</span>` : null}`}
  </form>`
}
