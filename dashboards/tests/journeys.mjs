/* The journeys explorer against the journeys API: three columns opened by clicking,
   each item's share the API's share of its parent; the flow diagram draws. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { harness, SITE } from './harness.mjs'

/** The tree node reached by following `names` from the root. */
function follow(tree, names) {
  let node = tree
  for (const n of names) node = node.children.find((c) => c.node === n)
  return node
}

const items = (page, depth) =>
  page.$$eval(`[data-testid=explorer] .jr-col[data-depth="${depth}"] [data-node]`, (els) =>
    els.map((e) => ({ node: e.dataset.node, visitors: e.dataset.visitors, sop: e.querySelector('[data-share-of-parent]')?.dataset.shareOfParent ?? null })),
  )

test('the explorer opens three columns, each share the journeys API gives', async () => {
  const h = await harness()
  const page = await h.page()
  await page.goto(h.url('/journeys?mode=paths_from&start=group:' + encodeURIComponent('Recherche de symptômes') + ''))
  await h.settled(page)
  const a = await h.api('/api/v2/journeys', {
    site_id: SITE, date_range: '30d', filters: [], mode: 'paths_from', from: { content_group: 'Recherche de symptômes' }, max_steps: 6, tree: true, limit: 100,
  })
  const path = []
  for (let depth = 0; depth < 3; depth++) {
    await page.waitForSelector(`[data-testid=explorer] .jr-col[data-depth="${depth}"]`)
    const shown = await items(page, depth)
    const parent = follow(a.tree, path)
    for (const item of shown.filter((i) => i.node && i.sop !== null && i.sop !== '')) {
      const child = parent.children.find((c) => c.node === item.node)
      assert.ok(child, `${item.node} is in the API's tree under ${path.join(' > ')}`)
      assert.equal(Number(item.sop), child.share_of_parent, `${path.join(' > ')} > ${item.node}`)
      assert.equal(Number(item.visitors), child.visitors)
    }
    // Open the biggest step that goes on.
    const next = parent.children.filter((c) => c.node && c.node !== '(other)' && c.node !== '(exit)' && c.children?.length).sort((x, y) => y.visitors - x.visitors)[0]
    if (depth < 2) {
      assert.ok(next, `a step to open at depth ${depth}`)
      path.push(next.node)
      await page.click(`[data-testid=explorer] .jr-col[data-depth="${depth}"] button[data-node="${next.node}"]`)
    }
  }
  assert.equal(await page.locator('[data-testid=explorer] .jr-col[data-depth]').count() >= 3, true)
  await h.shot(page, 'journeys-columns-desktop-en')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('paths to the demo goal go on past its dominant step, and the flow diagram draws', async () => {
  const h = await harness()
  const a = await h.api('/api/v2/journeys', { site_id: SITE, date_range: '30d', mode: 'paths_to', goal: 'RDV confirmé', tree: true })
  // The tree goes at least three steps back from the goal.
  let depth = 0
  for (let n = a.tree; n?.children?.some((c) => c.node && c.node !== '(other)'); depth++) {
    n = n.children.filter((c) => c.node && c.node !== '(other)').sort((x, y) => y.visitors - x.visitors)[0]
  }
  assert.ok(depth >= 3, `paths_to Booked shows ${depth} steps`)
  const page = await h.page({ locale: 'fr-FR' })
  await page.goto(h.url('/journeys?mode=paths_to&goal=' + encodeURIComponent('RDV confirmé') + '&show=sankey'))
  await h.settled(page)
  await page.waitForSelector('[data-testid=sankey]')
  await h.shot(page, 'journeys-sankey-desktop-fr')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
