/* Settings: the site, its installation check, goals, content groups, saved funnels,
   privacy settings, then for the site's owners its members, shared links, API keys,
   audit log and deletion, and for server owners a new site. The URL's `section` picks
   one; a side menu lists them on wide screens, a select on phones. A section this
   reader's role does not open is not listed. */

import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'
import { route, setParam, linkTo } from '../../state/store.js'
import { SiteSection } from './site.js'
import { InstallSection } from './install.js'
import { GoalsSection } from './goals.js'
import { GroupsSection } from './groups.js'
import { FunnelsSection } from './funnels.js'
import { PrivacySection } from './privacy.js'
import { KeysSection } from './keys.js'
import { MembersSection } from './members.js'
import { SharesSection } from './shares.js'
import { AuditSection } from './audit.js'
import { DangerSection } from './danger.js'
import { NewSiteSection } from './sites.js'
import { can, serverOwner } from '../../state/session.js'

const SECTIONS = {
  site: SiteSection,
  install: InstallSection,
  goals: GoalsSection,
  groups: GroupsSection,
  funnels: FunnelsSection,
  privacy: PrivacySection,
  members: MembersSection,
  shares: SharesSection,
  keys: KeysSection,
  audit: AuditSection,
  danger: DangerSection,
  new_site: NewSiteSection,
}
const OWNER = ['members', 'shares', 'keys', 'audit', 'danger']

/** The sections this reader may open on a site. */
function allowed(site) {
  const owner = can(site, 'owner')
  return Object.keys(SECTIONS).filter((s) => (OWNER.includes(s) ? owner : s === 'new_site' ? serverOwner() : true))
}

const go = (s) => setParam('section', s === 'site' ? null : s)

export function Settings() {
  const st = route.value
  const site = st.site
  const names = allowed(site)
  const section = names.includes(st.extra.section) ? st.extra.section : 'site'
  const Section = SECTIONS[section]
  return html`<div class="view settings" data-testid="settings">
    <div class="settings-layout">
      <nav class="settings-nav" aria-label=${t('settings.nav.label')}>
        <ul>
          ${names.map(
            (s) => html`<li><a href=${linkTo('settings', s === 'site' ? {} : { section: s })}
              class=${s === section ? 'on' : ''} aria-current=${s === section ? 'page' : undefined} data-testid=${'settings-nav-' + s}
              onClick=${(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button) return
                e.preventDefault()
                go(s)
              }}>${t(`settings.nav.${s}`)}</a></li>`,
          )}
        </ul>
      </nav>
      <label class="settings-picker">${t('settings.nav.pick')}
        <select value=${section} onChange=${(e) => go(e.target.value)} data-testid="settings-picker">
          ${names.map((s) => html`<option value=${s}>${t(`settings.nav.${s}`)}</option>`)}
        </select>
      </label>
      <div class="settings-body" data-testid=${'settings-' + section}>
        <${Section} key=${section + site} site=${site} />
      </div>
    </div>
  </div>`
}
