/* The empty state of a site with no data yet: the snippet to paste and where to
   check that beacons arrive. */

import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'
import { route, linkTo } from '../../state/store.js'
import { Snippet } from '../../components/snippet.js'
import { status } from '../../state/session.js'

export function NoData() {
  // A shared link's reader cannot install anything: the empty state only says so.
  if (status.value === 'shared') {
    return html`<section class="panel wide callout" data-testid="no-data"><h2>${t('empty.title')}</h2><p>${t('empty.shared')}</p></section>`
  }
  return html`<section class="panel wide callout" data-testid="no-data">
    <h2>${t('empty.title')}</h2>
    <p>${t('empty.body')}</p>
    <${Snippet} domain=${route.value.site} />
    <p><a href=${linkTo('settings', { section: 'install' })}>${t('empty.check_install')}</a></p>
  </section>`
}
