/* Entry point of dist/parcours.auto.js, the add-on the core script loads when a site opts into
   automatic events: outbound links, file downloads, tel:/mailto:, form submissions and tagged
   elements. It reads the data-* attributes the core copied onto its tag and reports through
   window.parcours. It never calls preventDefault: the keepalive beacon outlives the page, so links
   keep their native behaviour (new tabs, download attribute, SPA routers) without an added delay. */

const cfg = document.currentScript.dataset
const track = window.parcours

const DEFAULT_EXTENSIONS =
  'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg'
const extensions = (cfg.downloads || DEFAULT_EXTENSIONS).split(',').map((ext) => ext.trim().toLowerCase())

// `class="parcours-event-name=Book+Now parcours-event-specialty=cardio"`, or the name in data-parcours-event.
const taggedEvent = (element) => {
  const props = {}
  for (const token of element.classList) {
    const match = token.match(/^parcours-event-(.+)=(.+)$/)
    if (match) props[match[1]] = match[2].replace(/\+/g, ' ')
  }
  const name = element.dataset.parcoursEvent || props.name
  delete props.name
  track(name, { props })
}

const linkEvent = (link) => {
  const protocol = link.protocol
  // Query and fragment can carry tokens or patient references: the server scrubs page URLs, not props.
  const props = { url: link.href.split(/[?#]/)[0] }
  if (protocol == 'tel:' || protocol == 'mailto:') {
    // No props at all, so the phone number or e-mail address never leaves the page.
    if ('tel' in cfg) track(protocol == 'tel:' ? 'Phone Click' : 'Email Click')
  } else if ('downloads' in cfg && extensions.includes(link.pathname.split('.').pop().toLowerCase())) {
    track('File Download', { props })
  } else if ('outbound' in cfg && protocol.startsWith('http') && link.host != location.host) {
    track('Outbound Link: Click', { props })
  }
}

const onClick = (event) => {
  // auxclick also fires for right clicks, which open nothing; the middle button opens a tab.
  if (event.type == 'auxclick' && event.button != 1) return
  const target = event.target
  const tagged = 'taggedEvents' in cfg && target.closest('[data-parcours-event],[class*=parcours-event-name]')
  const link = target.closest('a[href]')
  if (tagged) taggedEvent(tagged)
  else if (link) linkEvent(link)
}
addEventListener('click', onClick)
addEventListener('auxclick', onClick)

if ('forms' in cfg) {
  addEventListener('submit', (event) => {
    const form = event.target
    // getAttribute, because form.id and form.name are shadowed by inputs named "id" or "name".
    const id = form.getAttribute('id') || form.getAttribute('name')
    track('Form Submit', { props: id ? { form: id } : undefined })
  })
}
