/* The breakdown panels of the overview, each a list of tabs over stats dimensions. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { BreakdownPanel } from '../../components/breakdown.js'
import { t } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { useApi } from '../../api/use.js'
import { route, base, setParam, linkTo } from '../../state/store.js'
import { siteInfo, defs } from '../../state/site.js'
import { canEditDefs, sharedFiltered } from '../../state/session.js'

const tab = (id, dim, metrics, more = {}) => ({ id, dim, metrics, label: t(`tab.${id}`), ...more })

export function Panels() {
  const site = siteInfo(route.value.site)
  const cities = site ? site.city_enabled !== false : true
  return html`
    <${BreakdownPanel} id="sources" title=${t('panel.sources')} param="sources" tabs=${[
      tab('channel', 'visit:channel', ['visitors']),
      tab('source', 'visit:source', ['visitors']),
      tab('utm_source', 'visit:utm_source', ['visitors']),
      tab('utm_medium', 'visit:utm_medium', ['visitors']),
      tab('utm_campaign', 'visit:utm_campaign', ['visitors']),
    ]} />
    <${BreakdownPanel} id="pages" title=${t('panel.pages')} param="pages" tabs=${[
      tab('top', 'event:page', ['visitors', 'pageviews']),
      tab('entry', 'visit:entry_page', ['visitors', 'visits']),
      tab('exit', 'visit:exit_page', ['visitors', 'visits']),
      tab('groups', 'event:content_group', ['visitors', 'pageviews']),
    ]} />
    <${BreakdownPanel} id="locations" title=${t('panel.locations')} param="locations" tabs=${[
      tab('country', 'visit:country', ['visitors']),
      tab('region', 'visit:region', ['visitors']),
      ...(cities ? [tab('city', 'visit:city', ['visitors'])] : []),
    ]} />
    <${BreakdownPanel} id="devices" title=${t('panel.devices')} param="devices" tabs=${[
      tab('device', 'visit:device', ['visitors']),
      tab('browser', 'visit:browser', ['visitors']),
      tab('os', 'visit:os', ['visitors']),
    ]} />
    <${GoalsPanel} />
    ${sharedFiltered() ? html`<${PropertiesUnavailable} />` : html`<${PropertiesPanel} />`}`
}

/** A shared link held to filters gets no property keys from the server: say so. */
function PropertiesUnavailable() {
  return html`<section class="panel" aria-labelledby="props-title" data-testid="properties-unavailable"><header class="panel-head"><h2 id="props-title">${t('panel.properties')}</h2></header>
    <div class="panel-body"><div class="empty">${t('props.shared_filtered')}</div></div></section>`
}

function GoalsPanel() {
  const goals = defs.value.goals
  if (defs.value.loaded && !goals.length) {
    return html`<section class="panel" aria-labelledby="goals-empty"><header class="panel-head"><h2 id="goals-empty">${t('panel.goals')}</h2></header>
      <div class="panel-body"><div class="empty">${t('goals.none')} ${canEditDefs() ? html`<a href=${linkTo('settings', { section: 'goals' })}>${t('goals.define')}</a>` : null}</div></div></section>`
  }
  return html`<${BreakdownPanel} id="goals" title=${t('panel.goals')} param="goals" emptyText=${t('goals.no_conversions')}
    tabs=${[tab('goals', 'event:goal', ['visitors', 'events', 'conversion_rate'])]} />`
}

function PropertiesPanel() {
  const st = route.value
  const names = useApi(
    (signal) => api.query({ ...base.value, metrics: ['visitors'], dimensions: ['event:name'], pagination: { limit: 50 } }, { signal }),
    [JSON.stringify(base.value)],
  )
  const events = (names.data?.results || []).map((r) => r.dimensions[0]).filter((n) => n !== 'pageview' && n !== '(other)')
  const event = events.includes(st.extra.prop_event) ? st.extra.prop_event : events[0]
  const keys = useApi(
    (signal) => (event ? api.properties({ site_id: st.site, date_range: base.value.date_range, event }, { signal }) : Promise.resolve({ properties: [] })),
    [event, JSON.stringify(base.value.date_range), st.site],
  )
  const props = (keys.data?.properties || []).map((p) => p.key)
  const key = props.includes(st.extra.prop) ? st.extra.prop : props[0]
  const picker = html`<div class="prop-picker">
    <label class="inline small">${t('props.event')}
      <select value=${event || ''} onChange=${(e) => setParam('prop_event', e.target.value, { replace: true })} disabled=${!events.length}>
        ${events.map((n) => html`<option value=${n}>${n}</option>`)}
      </select>
    </label>
    <label class="inline small">${t('props.key')}
      <select value=${key || ''} onChange=${(e) => setParam('prop', e.target.value, { replace: true })} disabled=${!props.length}>
        ${props.map((p) => html`<option value=${p}>${p}</option>`)}
      </select>
    </label>
  </div>`
  if (!event || !key) {
    return html`<section class="panel" aria-labelledby="props-title"><header class="panel-head"><h2 id="props-title">${t('panel.properties')}</h2></header>
      <div class="panel-body">${picker}<div class="empty">${names.data || keys.data ? t('props.none') : t('state.loading')}</div></div></section>`
  }
  return html`<${BreakdownPanel} id="properties" title=${t('panel.properties')} param="props_tab" header=${picker}
    tabs=${[tab('prop', `event:props:${key}`, ['visitors', 'events'], { label: key, extraFilters: [['is', 'event:name', [event]]] })]} />`
}
