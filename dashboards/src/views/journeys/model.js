/* The journeys view's data, apart from drawing: the start / end point as the URL holds
   it (`group:Symptom research`) and as the API asks it ({"content_group": …}), the
   explorer's columns from the API's tree of steps, and the flow diagram's graph. */

/** Kinds of start point, in the URL's words, and the API's Step key for each. */
export const KINDS = [
  ['group', 'content_group'],
  ['page', 'page'],
  ['event', 'event'],
  ['goal', 'goal'],
]

/** Names the API gives its markers. */
export const MARKERS = ['(exit)', '(entrance)', '…', '(other)']

/** `group:Symptom research` → {kind: 'group', value: 'Symptom research'}, or null. */
export function parseStep(s) {
  if (!s) return null
  const i = s.indexOf(':')
  if (i < 0) return null
  const kind = s.slice(0, i)
  const value = s.slice(i + 1)
  if (!KINDS.some(([k]) => k === kind) || !value) return null
  return { kind, value }
}

/** The URL form of a step. */
export function stepParam({ kind, value }) {
  return `${kind}:${value}`
}

/** The API's Step for a step. */
export function apiStep({ kind, value }) {
  const key = KINDS.find(([k]) => k === kind)[1]
  return { [key]: value }
}

/** The explorer's path (`a>b>c`) as a list. */
export function parsePath(s) {
  return s ? s.split('>').filter((x) => x !== '') : []
}

/** What a node named by the API is, for making it the new start point. */
export function stepOfNode(name, groups, goals) {
  if (name === null || name === undefined || MARKERS.includes(name)) return null
  if (groups.some((g) => g.name === name)) return { kind: 'group', value: name }
  if (goals.some((g) => g.name === name)) return { kind: 'goal', value: name }
  if (name.startsWith('/')) return { kind: 'page', value: name }
  return { kind: 'event', value: name }
}

const round2 = (x) => Math.round(x * 100) / 100

const isEnd = (c) => c.node === null
const isOther = (c) => c.node === '(other)'

/** A column's items in reading order: named steps by visitors, then (other), then the ends. */
export function orderItems(children) {
  const named = children.filter((c) => !isEnd(c) && !isOther(c))
  named.sort((a, b) => (b.visitors ?? -1) - (a.visitors ?? -1))
  return [...named, ...children.filter(isOther), ...children.filter(isEnd)]
}

/**
 * The explorer's columns for a selected path: [{parent, items, selected, depth}], the
 * first being the anchor's children; a selected name that is not there ends them.
 */
export function columnsOf(tree, path, maxColumns = 10) {
  const cols = []
  let node = tree
  for (let i = 0; i < maxColumns && node?.children?.length; i++) {
    const items = orderItems(node.children)
    const sel = path[i]
    cols.push({ parent: node, items, selected: sel, depth: i })
    const next = sel === undefined ? null : items.find((c) => c.node === sel)
    if (!next) break
    node = next
  }
  // A selected name that is no longer in the answer is not kept as selected.
  for (const c of cols) if (!c.items.some((x) => x.node !== null && x.node === c.selected)) c.selected = undefined
  return cols
}

/** Whether an item opens a further column. */
export function opens(item) {
  return item.node !== null && !!item.children?.length
}

/** Flat rows of every path in a tree, for a flow diagram: [{level, name, end, visitors, parentId, id}]. */
function flatten(tree, maxLevel) {
  const rows = []
  const walk = (n, level, id) => {
    if (level >= maxLevel) return
    for (const c of n.children || []) {
      const name = c.node === null ? { began: '(entrance)', exit: '(exit)', cut: '…' }[c.end] || '(exit)' : c.node
      const cid = `${level + 1}:${name}`
      rows.push({ level: level + 1, name, visitors: c.visitors, source: id, target: cid })
      if (c.node !== null) walk(c, level + 1, cid)
    }
  }
  walk(tree, 0, `0:${tree.node}`)
  return rows
}

/**
 * A flow diagram's graph from a paths tree: one node per step name and level, links
 * summed over the branches that join them. Paths_to reads from the earliest step to
 * the goal. Links under `minShare` % of the anchor's visitors are left out of the
 * drawing (`hidden` counts them); every link stays in `all` for the table.
 */
export function graphFromTree(tree, mode, maxLevel, minShare) {
  const rows = flatten(tree, maxLevel)
  const backwards = mode === 'paths_to'
  const depth = Math.max(0, ...rows.map((r) => r.level))
  const col = (level) => (backwards ? depth - level : level)
  const links = new Map()
  for (const r of rows) {
    const [s, t] = backwards ? [r.target, r.source] : [r.source, r.target]
    const k = s + '→' + t
    const l = links.get(k) || { source: s, target: t, visitors: 0, unknown: false }
    if (r.visitors === null || r.visitors === undefined) l.unknown = true
    else l.visitors += r.visitors
    links.set(k, l)
  }
  const nodeName = (id) => id.slice(id.indexOf(':') + 1)
  const nodeLevel = (id) => +id.slice(0, id.indexOf(':'))
  for (const l of links.values()) {
    if (l.unknown && !l.visitors) l.visitors = null
    delete l.unknown
  }
  const all = [...links.values()]
  const total = tree.visitors || 0
  // A branch too thin to draw takes its whole subtree with it (its further links would
  // float), so keep only links reachable from the anchor through drawn links.
  const thick = (l) => l.visitors !== null && l.visitors > 0 && (!total || (l.visitors / total) * 100 >= minShare)
  const anchorId = `0:${tree.node}`
  const keep = new Set()
  const reach = new Set([anchorId])
  const byEnd = backwards ? (l) => l.target : (l) => l.source
  const other = backwards ? (l) => l.source : (l) => l.target
  let grew = true
  while (grew) {
    grew = false
    for (const [k, l] of links) {
      if (keep.has(k) || !reach.has(byEnd(l)) || !thick(l)) continue
      keep.add(k)
      reach.add(other(l))
      grew = true
    }
  }
  const drawn = all.filter((l) => keep.has(l.source + '→' + l.target))
  const ids = new Set(drawn.flatMap((l) => [l.source, l.target]))
  if (!ids.size) ids.add(anchorId)
  const nodes = [...ids].map((id) => ({
    id,
    name: nodeName(id),
    col: col(nodeLevel(id)),
    anchor: id === anchorId,
    visitors: id === anchorId ? tree.visitors : null,
  }))
  return { nodes, links: drawn, all, hidden: all.length - drawn.length, columns: depth + 1, nodeName }
}

/** A flow diagram's graph from a flows answer (steps as columns), thin links left out as above. */
export function graphFromFlows(answer, minShare) {
  const nodes = answer.nodes || []
  const minStep = Math.min(0, ...nodes.map((n) => n.step))
  const maxStep = Math.max(0, ...nodes.map((n) => n.step))
  const anchor = nodes.find((n) => n.step === 0)
  const total = anchor?.visitors || answer.visitors || 0
  const all = (answer.links || []).map((l) => ({ source: l.source, target: l.target, visitors: l.visitors ?? null }))
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const thick = (l) => l.visitors !== null && l.visitors > 0 && (!total || (l.visitors / total) * 100 >= minShare)
  // Keep links connected to the anchor through drawn links, on both sides.
  const anchors = nodes.filter((n) => n.step === 0).map((n) => n.id)
  const reach = new Set(anchors)
  const keep = new Set()
  let grew = true
  while (grew) {
    grew = false
    all.forEach((l, i) => {
      if (keep.has(i) || !thick(l)) return
      const s = byId.get(l.source)
      const t = byId.get(l.target)
      if (!s || !t) return
      const forward = t.step > 0 && reach.has(l.source)
      const backward = s.step < 0 && reach.has(l.target)
      if (!forward && !backward) return
      keep.add(i)
      reach.add(l.source)
      reach.add(l.target)
      grew = true
    })
  }
  const drawn = all.filter((_, i) => keep.has(i))
  const ids = new Set(drawn.flatMap((l) => [l.source, l.target]))
  for (const a of anchors) ids.add(a)
  const out = [...ids].filter((id) => byId.has(id)).map((id) => {
    const n = byId.get(id)
    return { id, name: n.name, col: n.step - minStep, anchor: n.step === 0, visitors: n.visitors ?? null, step: n.step }
  })
  return { nodes: out, links: drawn, all, hidden: all.length - drawn.length, columns: maxStep - minStep + 1, nodeName: (id) => byId.get(id)?.name ?? id }
}
