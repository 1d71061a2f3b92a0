// Builds the composer into src/folkmoot/static/folkmoot/composer/ (committed).
import { build } from 'esbuild'
import { rmSync, mkdirSync, readdirSync, statSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
const outdir = path.resolve(here, '../src/folkmoot/static/folkmoot/composer')
rmSync(outdir, { recursive: true, force: true })
mkdirSync(outdir, { recursive: true })

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  absWorkingDir: here,
}
await build({ ...common, entryPoints: { 'composer-loader': 'src/loader.js' }, outdir })
await build({ ...common, entryPoints: { composer: 'src/composer.js' }, outdir, splitting: true, chunkNames: 'chunks/[name]-[hash]' })
await build({ ...common, entryPoints: { composer: 'src/composer.css' }, outdir })

let total = 0
const walk = dir => readdirSync(dir).flatMap(f => statSync(path.join(dir, f)).isDirectory() ? walk(path.join(dir, f)) : [path.join(dir, f)])
for (const file of walk(outdir).sort()) {
  const buf = readFileSync(file)
  const gz = gzipSync(buf, { level: 9 }).length
  if (!file.endsWith('composer-loader.js')) total += gz
  console.log(`${path.relative(outdir, file).padEnd(32)} ${String(buf.length).padStart(8)} B  ${String(gz).padStart(7)} B gzip`)
}
console.log(`editor total (gzip): ${(total / 1024).toFixed(1)} KB`)
