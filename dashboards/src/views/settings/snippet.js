/* The script tag a site owner pastes, with a copy button. */

import { useState } from 'preact/hooks'
import { html } from '../../components/html.js'
import { t } from '../../i18n/index.js'

/** The snippet for a domain, served from this node's own address. */
export function snippet(domain) {
  const origin = location.origin
  return `<script defer data-domain="${domain}" src="${origin}/js/parcours.js"></script>`
}

export function Snippet({ domain }) {
  const [copied, setCopied] = useState(false)
  const text = snippet(domain || 'example.org')
  return html`<div class="snippet-box">
    <pre class="snippet" data-testid="snippet"><code>${text}</code></pre>
    <button type="button" class="small" onClick=${async () => {
      try {
        await navigator.clipboard.writeText(text)
        setCopied(true)
        setTimeout(() => setCopied(false), 2000)
      } catch {
        /* the text stays selectable */
      }
    }}>${copied ? t('share.copied') : t('action.copy')}</button>
  </div>`
}
