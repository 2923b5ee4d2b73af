/* Builds dist/ from src/: esbuild bundles the app (code-split, so the flow diagram's
   library loads only when a flow is shown), names every asset after its content hash,
   and writes index.html pointing at them. The Rust server embeds dist/ whole; hashed
   names let it serve assets as immutable, and the output is deterministic, so a test
   can compare a fresh build with the committed files. */

import { build } from 'esbuild'
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, basename } from 'node:path'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Builds into memory: a map of dist-relative path -> contents. */
export async function buildAll() {
  const result = await build({
    entryPoints: { app: join(root, 'src/main.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    outdir: join(root, 'dist/assets'),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    loader: { '.json': 'json' },
    // htm's tagged templates are compiled at run time; no JSX step to configure.
  })
  const files = new Map()
  let js = ''
  let css = ''
  for (const f of result.outputFiles) {
    const name = 'assets/' + basename(f.path)
    files.set(name, f.text)
    const out = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith(basename(f.path)))]
    // The app's entry; a dynamic import() is an entry point of its own in the metafile.
    if (out?.entryPoint && name.startsWith('assets/app-') && name.endsWith('.js')) js = name
    if (name.startsWith('assets/app-') && name.endsWith('.css')) css = name
  }
  const template = readFileSync(join(root, 'src/index.html'), 'utf8')
  files.set('index.html', template.replaceAll('%APP_JS%', '/' + js).replaceAll('%APP_CSS%', '/' + css))
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildAll()
  const dist = join(root, 'dist')
  rmSync(dist, { recursive: true, force: true })
  mkdirSync(join(dist, 'assets'), { recursive: true })
  for (const [name, text] of files) {
    writeFileSync(join(dist, name), text)
    console.log(`dist/${name}: ${Buffer.byteLength(text)} bytes`)
  }
}
