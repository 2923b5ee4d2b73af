/* The language switch, in the header and on the signed-out screens. */

import { html } from './html.js'
import { t, lang, setLang, LANGS } from '../i18n/index.js'
import { navigate } from '../state/store.js'

/** Two toggle buttons; `keepPage` (signed-out screens) only sets `lang` in the URL, so
    an invitation's or a shared link's page stays what it is. */
export function LangSwitch({ keepPage = false }) {
  return html`<div class="lang" role="group" aria-label=${t('lang.label')}>
    ${LANGS.map(
      (l) => html`<button type="button" lang=${l} class=${lang.value === l ? 'tab on' : 'tab'} aria-pressed=${lang.value === l ? 'true' : 'false'}
        onClick=${async () => {
          await setLang(l)
          if (keepPage) {
            const u = new URL(location.href)
            u.searchParams.set('lang', l)
            history.replaceState(null, '', u.pathname + u.search + u.hash)
          } else navigate({ lang: l }, { replace: true })
        }}>${t(`lang.${l}`)}</button>`,
    )}
  </div>`
}
