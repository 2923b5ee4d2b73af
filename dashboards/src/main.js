/* Entry point: styles, then the shell mounted on #app. */
import './styles.css'
import { render } from 'preact'
import { html } from './components/html.js'
import { App } from './app.js'
import { lang, loadLang } from './i18n/index.js'

loadLang(lang.value).then(() => render(html`<${App} />`, document.getElementById('app')))
