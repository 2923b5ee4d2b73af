/* The committed dist/ is what the Rust server embeds: it must match src/ and stay within budget. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { buildFile, outputs } from '../build.mjs'

const BUDGET = 1000 // gzipped bytes, level 9

for (const [name, entry] of Object.entries(outputs)) {
  const committed = readFileSync(new URL(`../dist/${name}`, import.meta.url))

  test(`dist/${name} is up to date with ${entry} (run npm run build)`, async () => {
    assert.equal(committed.toString(), await buildFile(entry))
  })

  test(`dist/${name} is at most ${BUDGET} bytes gzipped`, () => {
    const size = gzipSync(committed, { level: 9 }).length
    assert.ok(size <= BUDGET, `${size} bytes gzipped`)
  })
}
