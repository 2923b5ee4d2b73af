/* One process for every browser test: they share one node, one ClickHouse and one
   browser (harness.mjs), started before the first and stopped after the last. */

import { after } from 'node:test'
import { harness } from './harness.mjs'

// First: it needs a server without any account (the others sign in as its owner).
import './accounts.mjs'
import './overview.mjs'
import './funnels.mjs'
import './journeys.mjs'
import './views.mjs'
import './xss.mjs'

after(async () => {
  await (await harness()).stop()
})
