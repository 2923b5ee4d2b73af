/* Realtime: who is on the site in the last five minutes and on which page, asked
   again every five seconds while the tab is visible. */

import { useEffect, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { RankedList } from '../../components/ranked-list.js'
import { Loading, ErrorNote, Empty } from '../../components/states.js'
import { SuppressionNote } from '../../components/notes.js'
import { t, fmt } from '../../i18n/index.js'
import { valueLabel } from '../../i18n/values.js'
import { api } from '../../api/client.js'
import { route } from '../../state/store.js'

const EVERY_MS = 5000

export function Realtime() {
  const site = route.value.site
  const [state, setState] = useState({ data: null, error: null, at: null })
  useEffect(() => {
    let live = true
    let timer
    const tick = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const data = await api.realtime({ site_id: site })
          if (live) setState({ data, error: null, at: new Date().toISOString() })
        } catch (error) {
          if (live) setState((s) => ({ ...s, error }))
        }
      }
      if (live) timer = setTimeout(tick, EVERY_MS)
    }
    tick()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [site])
  const a = state.data
  if (state.error && !a) return html`<${ErrorNote} error=${state.error} />`
  if (!a) return html`<${Loading} />`
  const minutes = Math.round((a.meta?.window_seconds || 300) / 60)
  return html`<div class="view realtime">
    <div class="top-stats realtime-stats">
      <div class="stat" data-testid="rt-visitors"><span class="stat-label">${t('realtime.visitors_now')}</span>
        <span class="stat-value"><span class="pulse" aria-hidden="true"></span>${fmt.number(a.visitors)}</span>
        <span class="stat-hint">${t('realtime.window', { count: minutes })}</span></div>
      <div class="stat"><span class="stat-label">${t('metric.pageviews')}</span><span class="stat-value">${fmt.number(a.pageviews)}</span>
        <span class="stat-hint">${t('realtime.window', { count: minutes })}</span></div>
    </div>
    <${Panel} id="realtime-pages" title=${t('realtime.pages')} wide
      footer=${html`<${SuppressionNote} meta=${a.meta} /> · ${t('realtime.sensitive')} · <span aria-live="polite">${t('realtime.updated', { time: fmt.time(state.at) })}</span>`}>
      ${state.error ? html`<${ErrorNote} error=${state.error} />` : null}
      ${a.pages.length
        ? html`<${RankedList} labelHeader=${t('realtime.page')} columns=${[t('metric_short.visitors')]}
            rows=${a.pages.map((p) => ({ id: p.page, label: valueLabel('page', p.page), bar: p.visitors, cells: [fmt.number(p.visitors)] }))} />`
        : html`<${Empty}>${t('realtime.nobody')}</${Empty}>`}
    </${Panel}>
  </div>`
}
