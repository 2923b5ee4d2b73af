/* Entry point: styles, then the shell mounted on #app. */
import './styles.css'
import { render } from 'preact'
import { html } from './components/html.js'
import { App } from './app.js'

render(html`<${App} />`, document.getElementById('app'))
