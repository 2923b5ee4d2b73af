/* What the browser loads before the first view can draw (shared by the size test and bench/dashboard.sh). */

/** The files the first view loads: the page, its stylesheet, its entry, the entry's static imports and its language. */
export function firstView(files) {
  const page = files.get('index.html')
  const entry = /src="\/(assets\/[^"]+\.js)"/.exec(page)[1]
  const css = /href="\/(assets\/[^"]+\.css)"/.exec(page)[1]
  const seen = new Set([entry])
  const queue = [entry]
  while (queue.length) {
    const js = files.get(queue.pop())
    // Static imports only: `import{..}from"./chunk-X.js"`; dynamic import() loads later.
    for (const m of js.matchAll(/(?:^|[;}])\s*import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      const name = `assets/${m[1]}`
      if (!seen.has(name)) {
        seen.add(name)
        queue.push(name)
      }
    }
  }
  // The page's language is loaded before it draws: count the larger one (French).
  const lang = [...files.keys()].find((n) => /^assets\/fr-[A-Z0-9]+\.js$/.test(n))
  return ['index.html', css, ...seen, ...(lang ? [lang] : [])]
}
