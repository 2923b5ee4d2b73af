/* Installation check: whether beacons from the site arrive, asked again every few
   seconds while the tab is visible, with the usual causes when none do and the
   beacons the server received but did not store, by reason. */

import { useEffect, useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { Panel } from '../../components/panel.js'
import { Loading, ErrorNote } from '../../components/states.js'
import { t, has, fmt } from '../../i18n/index.js'
import { api } from '../../api/client.js'
import { linkTo } from '../../state/store.js'
import { siteInfo } from '../../state/site.js'
import { SectionHead, when, ago } from './ui.js'

const EVERY_MS = 4000

/** Polls the install check. */
function usePoll(site) {
  const [st, setSt] = useState({ data: null, error: null, at: null, fresh: false })
  const [now, setNow] = useState(0)
  useEffect(() => {
    let live = true
    let timer
    let ctl
    const tick = async () => {
      clearTimeout(timer)
      if (document.visibilityState !== 'hidden') {
        ctl?.abort()
        ctl = new AbortController()
        try {
          const data = await api.installCheck(site, { signal: ctl.signal })
          if (!live) return
          setSt((s) => ({
            data,
            error: null,
            at: new Date().toISOString(),
            // A beacon arrived since the previous check: the status flashes once.
            fresh: !!s.data && data.last_event_at !== s.data.last_event_at,
          }))
        } catch (error) {
          if (!live || error?.name === 'AbortError') return
          setSt((s) => ({ ...s, error, at: new Date().toISOString() }))
        }
      }
      if (live) timer = setTimeout(tick, EVERY_MS)
    }
    tick()
    const onVisible = () => document.visibilityState === 'visible' && tick()
    document.addEventListener('visibilitychange', onVisible)
    setNow(() => tick)
    return () => {
      live = false
      clearTimeout(timer)
      ctl?.abort()
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [site])
  return { ...st, checkNow: now }
}

function Status({ a, fresh }) {
  const e5 = a.events_last_5_minutes ?? 0
  const e30 = a.events_last_30_minutes ?? 0
  const last = a.last_event_at
  const level = e5 > 0 ? 'ok' : e30 > 0 || last ? 'quiet' : 'none'
  const head =
    e5 > 0
      ? t('settings.install.arriving', { count: e5, time: when(last) })
      : e30 > 0
        ? t('settings.install.quiet_30', { count: e30, time: when(last) })
        : last
          ? t('settings.install.quiet_old', { time: when(last) })
          : t('settings.install.never', { days: a.meta?.last_event_window_days ?? 30 })
  return html`<div class=${`install-status lvl-${level}${fresh ? ' fresh' : ''}`} data-testid="install-status" data-level=${level}>
    <span class="install-dot" aria-hidden="true"></span>
    <div>
      <p class="install-head" role="status" aria-live="polite">${head}</p>
      ${e5 > 0 || e30 > 0
        ? html`<p class="install-sub">${t('settings.install.detail', { pageviews: a.pageviews_last_5_minutes ?? 0, events30: e30 })}${last ? ' ' + t('settings.install.ago', { ago: ago(last) }) : ''}</p>`
        : html`<p class="install-sub">${t('settings.install.none_sub')}</p>`}
    </div>
  </div>`
}

const CAUSES = ['domain', 'real_visit', 'registered', 'proxy', 'blocker', 'dnt', 'csp', 'ignore']

function Cause({ id, site }) {
  const info = siteInfo(site)
  let extra = null
  if (id === 'domain') extra = html` <span class="cause-compare">${t('settings.install.registered_domain')} <code class="big">${site}</code></span>`
  if (id === 'dnt' && info) extra = html` <strong>${t(info.respect_dnt ? 'settings.install.dnt_on' : 'settings.install.dnt_off')}</strong>`
  if (id === 'csp') extra = html` <code>${location.origin}</code>`
  return html`<li class="cause" data-testid=${'cause-' + id}>
    <input type="checkbox" id=${'cause-' + id} aria-describedby=${'cause-' + id + '-d'} />
    <div>
      <label for=${'cause-' + id} class="cause-title">${t(`settings.install.cause.${id}.title`)}</label>
      <p id=${'cause-' + id + '-d'}>${t(`settings.install.cause.${id}.body`)}${extra}</p>
    </div>
  </li>`
}

/* Refusals that tell a site owner the same thing share one text. */
const SAME_AS = { spool_full: 'storage', log_refused: 'storage', storage_failing: 'storage', shutting_down: 'buffer_full' }

function reasonText(reason, part) {
  const key = `settings.install.reason.${SAME_AS[reason] ?? reason}.${part}`
  return has(key) ? t(key) : null
}

function Drops({ drops, site }) {
  if (!drops.length) return html`<p class="empty" data-testid="drops-none">${t('settings.install.drops_none')}</p>`
  return html`<ul class="drops" data-testid="drops">
    ${drops.map((d) => {
      const title = reasonText(d.reason, 'title')
      const other = d.domain && d.domain !== site
      return html`<li class="drop">
        <div class="drop-head">
          <strong>${title || d.reason}</strong>
          <span class="drop-count">${t('settings.install.drop_count', { count: d.count ?? 0 })}</span>
        </div>
        <p>${reasonText(d.reason, 'body') || t('settings.install.reason_unknown')}</p>
        <p class="hint">
          ${t('settings.install.drop_domain')} <code>${d.domain || '–'}</code>${other ? html` <span class="warn">${t('settings.install.drop_other_domain', { site })}</span>` : null}${' · '}${t('settings.install.drop_last', { time: when(d.last_at) })}
        </p>
      </li>`
    })}
  </ul>`
}

export function InstallSection({ site }) {
  const poll = usePoll(site)
  const a = poll.data
  const arriving = a && (a.events_last_5_minutes ?? 0) > 0
  const url = `https://${site}/`
  return html`<div class="settings-section">
    <${SectionHead} title=${t('settings.install.title')}>${t('settings.install.intro')}</${SectionHead}>

    <${Panel} id="install-live" title=${t('settings.install.live')}
      actions=${html`<button type="button" class="small" onClick=${() => poll.checkNow && poll.checkNow()} data-testid="check-now">${t('settings.install.check_now')}</button>`}
      footer=${poll.at ? t('settings.install.checked', { time: fmt.time(poll.at), every: EVERY_MS / 1000 }) : null}>
      ${!a
        ? poll.error
          ? html`<${ErrorNote} error=${poll.error} onRetry=${poll.checkNow} />`
          : html`<${Loading} lines=${2} />`
        : html`<${Status} a=${a} fresh=${poll.fresh} />
            ${poll.error ? html`<${ErrorNote} error=${poll.error} />` : null}`}
      <div class="test-visit">
        <h3>${t('settings.install.test_title')}</h3>
        <ol class="steps">
          <li>${t('settings.install.test_1')} <a href=${url} target="_blank" rel="noopener noreferrer">${url}<span class="sr-only"> ${t('settings.install.new_tab')}</span></a></li>
          <li>${t('settings.install.test_2')}</li>
        </ol>
      </div>
    </${Panel}>

    <${Panel} id="install-causes" title=${arriving ? t('settings.install.causes_title_ok') : t('settings.install.causes_title')}>
      <p>${arriving ? t('settings.install.causes_intro_ok') : t('settings.install.causes_intro')}</p>
      <ul class="causes">${CAUSES.map((c) => html`<${Cause} id=${c} site=${site} />`)}</ul>
      <p class="hint"><a href=${linkTo('settings', {})}>${t('settings.install.back_to_snippet')}</a></p>
    </${Panel}>

    <${Panel} id="install-drops" title=${t('settings.install.drops_title')}>
      <p class="hint">${t('settings.install.drops_intro', { minutes: Math.round((a?.meta?.drops_window_seconds ?? 600) / 60) })}${a?.meta?.drops_scope ? ' ' + t('settings.install.drops_scope') : ''}</p>
      ${a ? html`<${Drops} drops=${a.recent_drops || []} site=${site} />` : poll.error ? null : html`<${Loading} lines=${2} />`}
    </${Panel}>
  </div>`
}
