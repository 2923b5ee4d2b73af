/* Builds dist/ from src/: esbuild bundles each entry point into an IIFE, terser squeezes the bytes.
   The output is deterministic, so a test can compare a fresh build with the committed files. */

import { build } from 'esbuild'
import { minify } from 'terser'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('.', import.meta.url)

// dist file name -> source entry point
export const outputs = {
  'parcours.js': 'src/parcours.js',
  'parcours.auto.js': 'src/auto.js',
}

export async function buildFile(entry) {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL(entry, root))],
    bundle: true,
    format: 'iife',
    target: 'es2021',
    write: false,
    legalComments: 'none',
  })
  const { code } = await minify(bundled.outputFiles[0].text, {
    ecma: 2021,
    compress: { passes: 3, unsafe: true, unsafe_arrows: true },
    format: { comments: false },
  })
  return code
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, entry] of Object.entries(outputs)) {
    const code = await buildFile(entry)
    writeFileSync(new URL(`dist/${name}`, root), code)
    console.log(`dist/${name}: ${code.length} bytes`)
  }
}
