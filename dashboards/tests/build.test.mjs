/* The committed dist/ is what the Rust server embeds: it must match src/, and the
   first view (the page, its script with every chunk it imports at once, and its
   styles) must stay small. */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { buildAll } from '../build.mjs'
import { firstView } from './first-view.mjs'

const dist = new URL('../dist/', import.meta.url)
const BUDGET = 80 * 1024 // gzipped bytes of the first view

function committed() {
  const files = new Map([['index.html', readFileSync(new URL('index.html', dist), 'utf8')]])
  for (const f of readdirSync(new URL('assets/', dist))) files.set(`assets/${f}`, readFileSync(new URL(`assets/${f}`, dist), 'utf8'))
  return files
}

test('dist/ is up to date with src/ (run npm run build in dashboards/)', async () => {
  const fresh = await buildAll()
  const old = committed()
  assert.deepEqual([...old.keys()].sort(), [...fresh.keys()].sort())
  for (const [name, text] of fresh) assert.equal(old.get(name), text, name)
})

test(`the first view is at most ${BUDGET / 1024} KB gzipped`, () => {
  const files = committed()
  const names = firstView(files)
  const size = names.reduce((n, f) => n + gzipSync(files.get(f), { level: 9 }).length, 0)
  assert.ok(size <= BUDGET, `${size} bytes gzipped: ${names.join(', ')}`)
})
