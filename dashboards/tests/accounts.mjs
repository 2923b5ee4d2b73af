/* Accounts and access in the browser, on a server that has no account yet (this file is
   imported first): the first run creates the server's owner, who signs in, adds a
   second site, invites a viewer who accepts in another browser and sees one site
   read-only, creates shared links (one held to filters, one behind a password) that
   open a read-only dashboard without any account, manages API keys, reads the audit
   log and deletes the second site. Every page also proves the Content-Security-Policy
   holds (harness.mjs records violations as problems). Screenshots of each screen, in
   French and English, at desktop and phone widths. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, SITE, DESKTOP, PHONE } from './harness.mjs'
import { rawKeys, englishOn, axeViolations } from './checks.mjs'

const SECOND = 'autre-clinique.fr'
const VIEWER = { email: 'lectrice@clinique-exemple.fr', password: 'lectrice-mot-de-passe-2026' }
const WIDTHS = [['desktop', DESKTOP], ['phone', PHONE]]
const LANGS = [['fr', 'fr-FR'], ['en', 'en-GB']]

// Names the demo site gives its goals and events, shown as data.
const DEMO_WORDS = new Set(['Booking Started', 'Booking Confirmed', 'Phone Call', 'Webinar Signup'])

// Shared between the steps (they run in order, in one process).
const state = { invite: '', share: '', sharePw: '' }

/** Screenshots of a page in both languages at both widths; `open(page)` brings it up. */
async function pictured(h, name, open, opts = {}) {
  for (const [lang, locale] of LANGS) {
    for (const [width, viewport] of WIDTHS) {
      const page = await h.page({ viewport, locale, ...opts })
      await open(page)
      await page.waitForTimeout(200)
      await h.shot(page, `${name}-${width}-${lang}`)
      assert.deepEqual(await rawKeys(page), [], `${name} ${width} ${lang}: raw keys`)
      // The demo's own words (goals, groups, funnel) are data, not English to translate.
      if (lang === 'fr') assert.deepEqual(await englishOn(page, DEMO_WORDS), [], `${name} ${width}: English on the French page`)
      assert.deepEqual(await axeViolations(page), [], `${name} ${width} ${lang}: axe`)
      // No page scrolls sideways at the phone width.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)
      assert.ok(wide <= 1, `${name} ${width} ${lang}: ${wide}px wider than the window`)
      assert.deepEqual(page.problems, [], `${name} ${width} ${lang}`)
      await page.context().close()
    }
  }
}

/** The token of a shown-once link. */
const linkOf = (page, testid) => page.inputValue(`[data-testid=${testid}-value]`)

test('first run: the server has no account, the browser creates its owner', async () => {
  const h = await harness()
  const s = await (await fetch(h.origin + '/api/auth/setup')).json()
  assert.deepEqual(s, { needed: true, allowed: true }, 'a fresh server asks for its first owner (the harness created none)')
  await pictured(h, 'first-run', async (page) => {
    await page.goto(h.origin + '/')
    await page.waitForSelector('[data-testid=setup]')
  }, { signedIn: false })

  const page = await h.page({ signedIn: false, locale: 'fr-FR' })
  await page.goto(h.origin + '/')
  await page.waitForSelector('[data-testid=setup]')
  await page.fill('[data-testid=setup-email]', h.owner.email)
  await page.fill('[data-testid=setup-password]', 'court')
  await page.fill('[data-testid=setup-again]', 'court')
  await page.click('[data-testid=setup-submit]')
  await page.waitForSelector('.form-problem')
  assert.match(await page.textContent('.form-problem'), /10/)
  await page.fill('[data-testid=setup-password]', h.owner.password)
  await page.fill('[data-testid=setup-again]', h.owner.password)
  await page.click('[data-testid=setup-submit]')
  await page.waitForSelector('[data-testid=user-menu]')
  await h.settled(page)
  assert.equal(await page.textContent('[data-testid=site]'), SITE, 'the server owner opens the demo site')
  assert.deepEqual(page.problems, [])
  // The first run is over: nobody can create a second owner.
  const again = await fetch(h.origin + '/api/auth/setup')
  assert.equal((await again.json()).needed, false)
  await page.context().close()
})

test('sign-in: a wrong password is refused generically, the right one opens the dashboard', async () => {
  const h = await harness()
  await pictured(h, 'signin', async (page) => {
    await page.goto(h.origin + '/')
    await page.waitForSelector('[data-testid=signin]')
  }, { signedIn: false })
  const page = await h.page({ signedIn: false })
  await page.goto(h.url('/'))
  await page.fill('[data-testid=signin-email]', h.owner.email)
  await page.fill('[data-testid=signin-password]', 'not the password at all')
  await page.click('[data-testid=signin-submit]')
  await page.waitForSelector('[data-testid=auth-problem]')
  assert.equal(await page.textContent('[data-testid=auth-problem]'), 'Wrong email or password.')
  await page.fill('[data-testid=signin-password]', h.owner.password)
  await page.click('[data-testid=signin-submit]')
  await page.waitForSelector('[data-testid=user-menu]')
  await h.settled(page)
  assert.equal(await page.textContent('nav.views a.on'), 'Overview')
  // The account menu signs out, and the page goes back to sign-in.
  await page.click('[data-testid=user-menu]')
  await page.click('[data-testid=sign-out]')
  await page.waitForSelector('[data-testid=signin]')
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status)
  assert.equal(me, 401, 'the session ended on the server')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the server owner adds a site from the settings', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=new_site'))
  await page.waitForSelector('[data-testid=site-form]')
  await page.fill('[data-testid=new-site-domain]', SECOND)
  await page.selectOption('[data-testid=new-site-tz]', 'Europe/Paris')
  await page.click('[data-testid=new-site-create]')
  await page.waitForURL(new RegExp(`site=${SECOND.replace('.', '\\.')}`))
  await page.waitForSelector('[data-testid=site-picker]')
  const options = await page.$$eval('[data-testid=site-picker] option', (os) => os.map((o) => o.value).sort())
  assert.deepEqual(options, [SECOND, SITE].sort())
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an owner invites a viewer, who accepts in another browser and sees one site, read-only', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=members'))
  await page.waitForSelector('[data-testid=members]')
  const owner = page.locator(`[data-testid=members] li[data-email="${h.owner.email}"]`)
  assert.match(await owner.textContent(), /you/)
  assert.equal(await owner.locator('select').count(), 0, 'a server owner is not changed here')
  await page.fill('[data-testid=invite-email]', VIEWER.email)
  await page.check('[data-testid=invite-role-viewer]')
  await page.click('[data-testid=invite-create]')
  await page.waitForSelector('[data-testid=invite-link]')
  const link = await linkOf(page, 'invite-link')
  assert.match(link, new RegExp(`^${h.origin}/invite#`), 'an absolute link')
  state.invite = link
  await page.click('[data-testid=invite-link] button.ghost')
  await page.waitForSelector('[data-testid=invitations] li')
  assert.match(await page.textContent('[data-testid=invitations]'), new RegExp(VIEWER.email))
  assert.deepEqual(page.problems, [])
  await page.context().close()

  // The invitation, opened signed out: what it offers, then the password.
  await pictured(h, 'invitation', async (p) => {
    await p.goto(state.invite)
    await p.waitForSelector('[data-testid=invite-offer]')
  }, { signedIn: false })
  const guest = await h.page({ signedIn: false })
  await guest.goto(state.invite)
  await guest.waitForSelector('[data-testid=invite-offer]')
  const offer = await guest.textContent('[data-testid=invite-offer]')
  assert.match(offer, new RegExp(SITE.replace(/\./g, '\\.')))
  assert.match(offer, /Viewer/)
  assert.match(offer, new RegExp(VIEWER.email))
  await guest.fill('[data-testid=invite-password]', 'court')
  await guest.click('[data-testid=invite-accept]')
  await guest.waitForSelector('[data-testid=auth-problem]')
  assert.match(await guest.textContent('[data-testid=auth-problem]'), /at least 10 characters/)
  await guest.fill('[data-testid=invite-password]', VIEWER.password)
  await guest.click('[data-testid=invite-accept]')
  await guest.waitForSelector('[data-testid=user-menu]')
  await h.settled(guest)
  assert.equal(await guest.textContent('[data-testid=site]'), SITE, 'exactly one site: no picker')
  assert.equal(await guest.locator('[data-testid=site-picker]').count(), 0)
  const sites = await guest.evaluate(async () => (await (await fetch('/api/v2/sites')).json()).sites.map((s) => [s.domain, s.role]))
  assert.deepEqual(sites, [[SITE, 'viewer']])
  // Settings: information only; no owner section, nothing to save or delete.
  await guest.click('[data-testid=nav-settings]')
  await guest.waitForSelector('[data-testid=settings]')
  const sections = await guest.$$eval('.settings-nav a', (as) => as.map((a) => a.dataset.testid.replace('settings-nav-', '')))
  assert.deepEqual(sections, ['site', 'install', 'goals', 'groups', 'funnels', 'privacy'])
  for (const section of ['goals', 'groups', 'privacy']) {
    await guest.click(`[data-testid=settings-nav-${section}]`)
    await h.settled(guest)
    await guest.waitForSelector('[data-testid=read-only]')
    const buttons = await guest.$$eval('.settings-body button[type=submit], .settings-body button.danger', (bs) => bs.length)
    assert.equal(buttons, 0, `${section}: nothing to save or delete`)
  }
  assert.equal(await guest.locator('[data-testid=tz]').count(), 0)
  // The owner sections are not reachable by URL either.
  await guest.goto(h.url('/settings?section=members'))
  await guest.waitForSelector('[data-testid=settings-site]')
  // Funnels: read, no saving, no deleting.
  await guest.goto(h.url('/funnels'))
  await h.settled(guest)
  assert.equal(await guest.locator('[data-testid=funnel-delete], [data-testid=funnel-edit], [data-testid=funnel-save]').count(), 0)
  assert.deepEqual(guest.problems, [])
  await guest.context().close()
  // The link worked once.
  const used = await fetch(h.origin + '/api/auth/invitation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: state.invite.split('#')[1] }) })
  assert.equal(used.status, 400)
  const again = await h.page({ signedIn: false })
  await again.goto(state.invite)
  await again.waitForSelector('[data-testid=invite-invalid]')
  await again.context().close()

  // Back with the owner: the viewer is a member, whose role changes from the list;
  // a second invitation (an editor) waits.
  const owner2 = await h.page()
  await owner2.goto(h.url('/settings?section=members'))
  const row = owner2.locator(`[data-testid=members] li[data-email="${VIEWER.email}"]`)
  await row.waitFor()
  await row.locator('[data-testid=member-role]').selectOption('editor')
  await owner2.waitForSelector('[data-testid=notice] .notice')
  const roleOf = () => owner2.evaluate(async ([site, email]) => (await (await fetch(`/api/v2/members?site_id=${site}`)).json()).members.find((m) => m.email === email)?.role, [SITE, VIEWER.email])
  assert.equal(await roleOf(), 'editor')
  // As an editor, she manages goals, groups and funnels, and still no owner section.
  const editor = await h.page({ as: VIEWER })
  await editor.goto(h.url('/settings?section=goals'))
  await editor.waitForSelector('[data-testid=goal-form]')
  const editorSections = await editor.$$eval('.settings-nav a', (as) => as.map((a) => a.dataset.testid.replace('settings-nav-', '')))
  assert.deepEqual(editorSections, ['site', 'install', 'goals', 'groups', 'funnels', 'privacy'])
  await editor.click('[data-testid=settings-nav-privacy]')
  await editor.waitForSelector('[data-testid=read-only]')
  assert.equal(await editor.locator('[data-testid=privacy-save]').count(), 0)
  assert.deepEqual(editor.problems, [])
  await editor.context().close()
  await row.locator('[data-testid=member-role]').selectOption('viewer')
  await owner2.waitForFunction(() => document.querySelector('[data-testid=members] li[data-email^="lectrice"] select')?.value === 'viewer')
  assert.equal(await roleOf(), 'viewer')
  await owner2.fill('[data-testid=invite-email]', 'paul.martin@clinique-exemple.fr')
  await owner2.check('[data-testid=invite-role-editor]')
  await owner2.click('[data-testid=invite-create]')
  await owner2.waitForSelector('[data-testid=invite-link]')
  assert.deepEqual(owner2.problems, [])
  await owner2.context().close()
  await pictured(h, 'members', async (p) => {
    await p.goto(h.url('/settings?section=members'))
    await p.waitForSelector('[data-testid=invitations]')
    await h.settled(p)
  })
})

test('an account changes its password, then signs out everywhere', async () => {
  const h = await harness()
  const other = await h.page({ as: VIEWER, fresh: true })
  const page = await h.page({ as: VIEWER, locale: 'fr-FR', fresh: true })
  await page.goto(h.url('/'))
  await page.click('[data-testid=user-menu]')
  await page.click('[data-testid=change-password]')
  await page.waitForSelector('[data-testid=password-dialog]')
  await page.fill('[data-testid=pw-current]', 'pas le mot de passe')
  await page.fill('[data-testid=pw-new]', 'un tout nouveau mot de passe')
  await page.fill('[data-testid=pw-again]', 'un tout nouveau mot de passe')
  await page.click('[data-testid=password-dialog] button[type=submit]')
  await page.waitForSelector('[data-testid=password-dialog] .form-problem')
  assert.match(await page.textContent('[data-testid=password-dialog] .form-problem'), /actuel est incorrect/)
  await page.fill('[data-testid=pw-current]', VIEWER.password)
  await page.click('[data-testid=password-dialog] button[type=submit]')
  await page.waitForSelector('[data-testid=password-dialog] [role=status]')
  VIEWER.password = 'un tout nouveau mot de passe'
  await page.click('[data-testid=password-dialog] button[type=submit]')
  // The other session ended with the change: its next call goes back to sign-in.
  await other.goto(h.url('/'))
  await other.waitForSelector('[data-testid=signin]')
  await other.context().close()
  await page.click('[data-testid=user-menu]')
  await page.click('[data-testid=sign-out-everywhere]')
  await page.waitForSelector('[data-testid=signin]')
  const again = await fetch(h.origin + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VIEWER) })
  assert.equal(again.status, 200, 'the new password signs in')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a shared link opens a read-only dashboard without an account, held to its filters', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=shares&f=is,channel,Organic+Search'))
  await page.waitForSelector('[data-testid=share-form]')
  await page.fill('[data-testid=share-name]', 'Comité de direction')
  await page.check('[data-testid=share-limit]')
  await page.click('[data-testid=share-create]')
  await page.waitForSelector('[data-testid=share-link]')
  state.share = await linkOf(page, 'share-link')
  assert.match(state.share, new RegExp(`^${h.origin}/share/`))
  await page.click('[data-testid=share-link] button.ghost')
  // A second link, behind a password.
  await page.fill('[data-testid=share-name]', 'Partenaire')
  await page.fill('[data-testid=share-password]', 'mot-de-passe-du-lien')
  await page.click('[data-testid=share-create]')
  await page.waitForSelector('[data-testid=share-link]')
  state.sharePw = await linkOf(page, 'share-link')
  await page.click('[data-testid=share-link] button.ghost')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=shares] li').length === 2)
  const listed = await page.textContent('[data-testid=shares]')
  assert.match(listed, /Comité de direction/)
  assert.match(listed, /Channel is Organic search/)
  assert.match(listed, /with password/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
  await pictured(h, 'shared-links', async (p) => {
    await p.goto(h.url('/settings?section=shares&f=is,channel,Organic+Search'))
    await p.waitForSelector('[data-testid=shares]')
    await h.settled(p)
  })

  // Opened with no cookie at all: the dashboard, read-only, with its filter named.
  await pictured(h, 'shared-view', async (p) => {
    await p.goto(state.share)
    await p.waitForSelector('[data-testid=shared-banner]')
    await h.settled(p)
  }, { signedIn: false })
  const guest = await h.page({ signedIn: false })
  await guest.goto(state.share)
  await guest.waitForSelector('[data-testid=shared-banner]')
  await h.settled(guest)
  assert.match(await guest.textContent('[data-testid=shared-banner]'), new RegExp(`Shared view of ${SITE.replace(/\./g, '\\.')}`))
  assert.match(await guest.textContent('[data-testid=fixed-filters]'), /Channel is Organic search/)
  const views = await guest.$$eval('nav.views a', (as) => as.map((a) => a.dataset.testid))
  // Realtime and property keys cannot apply the link's filters: the server refuses them, the page offers neither.
  assert.deepEqual(views, ['nav-overview', 'nav-funnels', 'nav-journeys', 'nav-attribution'])
  await guest.waitForSelector('[data-testid=properties-unavailable]')
  assert.equal(await guest.locator('[data-testid=user-menu], [data-testid=site-picker]').count(), 0)
  // The figures are the filtered ones: the shared link adds its filter to every answer.
  const filtered = await h.api('/api/v2/query', { site_id: SITE, date_range: '30d', metrics: ['visitors'], filters: [['is', 'visit:channel', ['Organic Search']]] })
  assert.equal(Number(await guest.getAttribute('[data-testid=stat-visitors] .stat-value', 'data-raw')), filtered.results[0].metrics[0])
  // Other views open; the funnels view saves nothing.
  await guest.click('[data-testid=nav-funnels]')
  await h.settled(guest)
  assert.match(guest.url(), /\/share\/[^?]+\?view=funnels/)
  assert.equal(await guest.locator('[data-testid=funnel-delete], [data-testid=funnel-edit], [data-testid=funnel-save]').count(), 0)
  // Settings cannot be reached through the link.
  await guest.goto(state.share + '?view=settings')
  await guest.waitForSelector('[data-testid=shared-banner]')
  await h.settled(guest)
  assert.equal(await guest.locator('[data-testid=settings]').count(), 0)
  assert.deepEqual(guest.problems, [])
  await guest.context().close()

  // The grant itself opens nothing an owner may do.
  const token = new URL(state.share).pathname.split('/').pop()
  const { grant } = await (await fetch(h.origin + '/api/auth/share', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })).json()
  assert.ok(grant)
  const asGrant = (path, body, method = 'GET') =>
    fetch(h.origin + path, { method, headers: { authorization: `Bearer ${grant}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
  for (const [path, body, method] of [
    [`/api/v2/members?site_id=${SITE}`],
    [`/api/v2/keys?site_id=${SITE}`],
    [`/api/v2/audit?site_id=${SITE}`],
    ['/api/v2/goals', { site_id: SITE, name: 'x', page: '/x' }, 'POST'],
    ['/api/v2/shares', { site_id: SITE, name: 'x' }, 'POST'],
    ['/api/v2/sites', { site_id: SITE, retention_months: 1 }, 'PATCH'],
  ]) {
    const r = await asGrant(path, body, method)
    assert.ok([403, 404].includes(r.status), `${method || 'GET'} ${path} with a grant: ${r.status}`)
  }

  // The password-protected link asks for its password first.
  await pictured(h, 'shared-password', async (p) => {
    await p.goto(state.sharePw)
    await p.waitForSelector('[data-testid=share-password]')
  }, { signedIn: false })
  const partner = await h.page({ signedIn: false })
  await partner.goto(state.sharePw)
  await partner.waitForSelector('[data-testid=share-password]')
  await partner.fill('[data-testid=share-password-input]', 'pas le bon')
  await partner.click('[data-testid=share-open]')
  await partner.waitForSelector('[data-testid=auth-problem]')
  assert.equal(await partner.textContent('[data-testid=auth-problem]'), 'Wrong password.')
  await partner.fill('[data-testid=share-password-input]', 'mot-de-passe-du-lien')
  await partner.click('[data-testid=share-open]')
  await partner.waitForSelector('[data-testid=shared-banner]')
  await h.settled(partner)
  assert.equal(await partner.locator('[data-testid=fixed-filters]').count(), 0)
  // Without filters, every shared view is there, realtime included, and answers.
  const partnerViews = await partner.$$eval('nav.views a', (as) => as.map((a) => a.dataset.testid))
  assert.deepEqual(partnerViews, ['nav-overview', 'nav-funnels', 'nav-journeys', 'nav-attribution', 'nav-realtime'])
  assert.equal(await partner.locator('.error-note').count(), 0)
  await partner.click('[data-testid=nav-realtime]')
  await h.settled(partner)
  assert.match(partner.url(), /\?view=realtime/)
  assert.equal(await partner.locator('.error-note').count(), 0, 'realtime answers through the link')
  assert.deepEqual(partner.problems, [])
  await partner.context().close()
})

test('a revoked shared link says so', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=shares'))
  await page.waitForSelector('[data-testid=shares] li')
  const temp = 'Lien temporaire'
  await page.fill('[data-testid=share-name]', temp)
  await page.click('[data-testid=share-create]')
  await page.waitForSelector('[data-testid=share-link]')
  const link = await linkOf(page, 'share-link')
  await page.click('[data-testid=share-link] button.ghost')
  const row = page.locator('[data-testid=shares] li', { hasText: temp })
  await row.locator('[data-testid=share-revoke]').click()
  await page.click('[data-testid=confirm] button[type=submit]')
  await row.waitFor({ state: 'detached' })
  assert.deepEqual(page.problems, [])
  await page.context().close()
  const guest = await h.page({ signedIn: false })
  await guest.goto(link)
  await guest.waitForSelector('[data-testid=share-invalid]')
  assert.deepEqual(guest.problems, [])
  await guest.context().close()
})

test('API keys: created read-only, listed by prefix, revoked', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=keys'))
  await page.waitForSelector('[data-testid=key-form]')
  await h.settled(page)
  const before = await page.locator('[data-testid=keys] li').count()
  await page.fill('[data-testid=key-name]', 'Tableur mensuel')
  assert.equal(await page.isChecked('[data-testid=key-read-only]'), true, 'read-only is the default')
  await page.click('[data-testid=key-create]')
  await page.waitForSelector('[data-testid=new-key]')
  const key = await linkOf(page, 'new-key')
  assert.match(key, /^pk_/)
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=keys] li').length === n + 1, before)
  const row = page.locator('[data-testid=keys] li', { hasText: 'Tableur mensuel' })
  assert.match(await row.textContent(), /Read only/)
  assert.ok(!(await row.textContent()).includes(key), 'the list shows a prefix, never the key')
  // The key reads, and cannot write.
  const read = await fetch(h.origin + '/api/v2/sites', { headers: { authorization: `Bearer ${key}` } })
  assert.equal(read.status, 200)
  const write = await fetch(h.origin + '/api/v2/goals', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ site_id: SITE, name: 'x', page: '/x' }) })
  assert.equal(write.status, 403)
  await page.click('[data-testid=new-key] button.ghost')
  await row.locator('[data-testid=key-revoke]').click()
  await page.click('[data-testid=confirm] button[type=submit]')
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=keys] li').length === n, before)
  // A node may remember a key it checked for up to 30 s (accounts.cache_seconds).
  let status = 0
  for (const until = Date.now() + 35000; Date.now() < until; await new Promise((r) => setTimeout(r, 1000))) {
    status = (await fetch(h.origin + '/api/v2/sites', { headers: { authorization: `Bearer ${key}` } })).status
    if (status === 401) break
  }
  assert.equal(status, 401, 'the revoked key opens nothing')
  assert.deepEqual(page.problems, [])
  await page.context().close()
  await pictured(h, 'keys', async (p) => {
    await p.goto(h.url('/settings?section=keys'))
    await p.waitForSelector('[data-testid=key-form]')
    await h.settled(p)
  })
})

test('the audit log lists what happened, in words', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/settings?section=audit'))
  await page.waitForSelector('[data-testid=audit] tbody tr')
  const actions = await page.$$eval('[data-testid=audit] tbody tr', (trs) => trs.map((tr) => [tr.dataset.action, tr.children[2].textContent]))
  const raw = actions.filter(([a, shown]) => a === shown).map(([a]) => a)
  assert.deepEqual([...new Set(raw)], [], 'every action the server wrote has a name in words')
  const text = await page.textContent('[data-testid=audit]')
  assert.match(text, new RegExp(VIEWER.email.replace('.', '\\.')))
  assert.ok(!text.includes(h.owner.password) && !text.includes(VIEWER.password), 'no password in the log')
  assert.deepEqual(page.problems, [])
  await page.context().close()
  await pictured(h, 'audit', async (p) => {
    await p.goto(h.url('/settings?section=audit'))
    await p.waitForSelector('[data-testid=audit]')
  })
})

test('an owner deletes a site by typing its domain; the dashboard moves to the other site', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(`${h.origin}/settings?section=danger&site=${SECOND}`)
  await page.waitForSelector('[data-testid=danger-form]')
  assert.equal(await page.isDisabled('[data-testid=danger-delete]'), true)
  await page.fill('[data-testid=danger-confirm]', SITE)
  assert.equal(await page.isDisabled('[data-testid=danger-delete]'), true, 'another domain does not confirm')
  await page.fill('[data-testid=danger-confirm]', SECOND)
  await page.click('[data-testid=danger-delete]')
  await page.waitForURL(new RegExp(`site=${SITE.replace(/\./g, '\\.')}`))
  await h.settled(page)
  assert.equal(await page.textContent('[data-testid=site]'), SITE)
  const sites = await h.api('/api/v2/sites')
  assert.deepEqual(sites.sites.map((s) => s.domain), [SITE])
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
