/* Dev helper: screenshots of a running node's dashboard. node tests/shot.mjs URL OUT [width height] */
import { chromium } from 'playwright-core'
const [url, out, w = '1366', h = '900'] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] })
const page = await browser.newPage({ viewport: { width: +w, height: +h } })
page.on('console', (m) => console.log('console:', m.type(), m.text()))
page.on('pageerror', (e) => console.log('pageerror:', e.message))
await page.goto(url)
await page.waitForTimeout(2500)
await page.screenshot({ path: out, fullPage: true })
await browser.close()
