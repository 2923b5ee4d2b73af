/* The script tag a site owner pastes (with the tracker options they chose), its
   <noscript> pixel variant, and copy buttons for both. */

import { html } from './html.js'
import { t } from '../i18n/index.js'
import { CopyButton } from './copy.js'

// Attribute values are the site owner's own text: quote them for an HTML attribute.
const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;')

/** Tracker options a snippet can carry, in the order they are written. */
export const OPTIONS = ['outbound', 'tel', 'downloads', 'forms', 'hash', 'respect-dnt']

/** The snippet for a domain, served from this node's own address; `opts` maps an
    option of OPTIONS to true, and `exclude` to a pattern list. */
export function snippet(domain, opts = {}) {
  const origin = location.origin
  const extra = OPTIONS.filter((o) => opts[o]).map((o) => ` data-${o}`).join('')
  const exclude = (opts.exclude || '').trim() ? ` data-exclude="${attr(opts.exclude.trim())}"` : ''
  return `<script defer data-domain="${attr(domain)}"${extra}${exclude} src="${origin}/js/parcours.js"></script>`
}

/** The pixel that counts a pageview when JavaScript is off. */
export function noscript(domain) {
  const origin = location.origin
  return `<noscript><img src="${origin}/api/event?d=${encodeURIComponent(domain)}" referrerpolicy="no-referrer-when-downgrade" alt=""></noscript>`
}

/** A block of code to paste, with its copy button. */
export function CodeBox({ text, label, testid }) {
  return html`<div class="snippet-box">
    <pre class="snippet" data-testid=${testid}><code>${text}</code></pre>
    <${CopyButton} text=${text} what=${label} />
  </div>`
}

/** The script tag to paste, with a copy button (also used by the overview's empty state). */
export function Snippet({ domain, opts }) {
  return html`<${CodeBox} text=${snippet(domain || 'example.org', opts)} label=${t('settings.site.snippet_label')} testid="snippet" />`
}
