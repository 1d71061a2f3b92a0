// The hostile paste corpus (test/attacks.js, every sink in every context) in real Chromium,
// through the committed bundle: the sanitizer the editor ships, and real pastes into the editor.
// Whatever comes out is put into the live page, where a surviving handler, script or
// script URL would run and call top.__fmHit(). Run: npm run test:browser
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startServer } from '../dev-server.mjs'
import { hostilePayloads } from '../test/attacks.js'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}`
// The checks (problems, markdownProblems, the allow-lists), run in the page as a module.
const CHECKS = readFileSync(fileURLToPath(new URL('../test/attacks.js', import.meta.url)), 'utf8') +
  '\nwindow.__checks = { problems, markdownProblems, PASTE_ALLOWED, EDITOR_ALLOWED }\n'
let browser, srv, base

before(async () => {
  if (skip) return
  srv = await startServer(0)
  base = `http://127.0.0.1:${srv.port}/`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
})
after(async () => { await browser?.close(); srv?.server.close() })

/** A page with the composer mounted, every off-loopback request refused and recorded, and
 * every way a payload reports itself (top.__fmHit, dialogs, navigation) recorded. */
async function hostilePage() {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  const offsite = []
  const dialogs = []
  await page.route('**/*', route => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1') return route.continue()
    offsite.push(url.href)
    return route.abort()
  })
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss() })
  await page.goto(base)
  await page.click('textarea[name=body]')
  await page.waitForSelector('[data-composer-editor]')
  await page.addScriptTag({ type: 'module', content: CHECKS })
  await page.waitForFunction(() => window.__checks)
  await page.evaluate(() => {
    window.__fmHits = []
    window.__fmHit = id => window.__fmHits.push(id)
    const live = document.createElement('div')
    live.id = 'live'
    document.body.append(live)
  })
  return { page, offsite, dialogs }
}

test('the harness sees a payload run (unsanitized payloads in the live page)', { skip }, async () => {
  const { page } = await hostilePage()
  await page.evaluate(() => {
    document.getElementById('live').innerHTML = '<img src=x onerror="top.__fmHit(1)"><video><source onerror="top.__fmHit(2)"></video>' +
      '<details open ontoggle="top.__fmHit(3)">x</details><iframe srcdoc="<script>top.__fmHit(4)</script>"></iframe>'
  })
  await page.waitForFunction(() => window.__fmHits.length >= 4, null, { timeout: 5000 })
  assert.deepEqual(await page.evaluate(() => window.__fmHits.sort()), [1, 2, 3, 4])
  await page.context().close()
})

test('no hostile paste runs, loads from elsewhere, or leaves markup outside the allow-lists', { skip }, async () => {
  const payloads = hostilePayloads({ full: true })
  assert.ok(payloads.length > 2000)
  const { page, offsite, dialogs } = await hostilePage()
  const failures = await page.evaluate(async (payloads) => {
    const { sanitizePastedHTML } = await import(document.querySelector('form').dataset.composerSrc)
    const { problems, markdownProblems, PASTE_ALLOWED, EDITOR_ALLOWED } = window.__checks
    const form = document.querySelector('form')
    const editor = form.__folkmootComposer.editor
    const target = document.querySelector('[data-composer-editor]')
    const textarea = form.querySelector('textarea[name=body]')
    const live = document.getElementById('live')
    const failures = []
    for (const [name, html] of payloads) {
      // The sanitizer alone, its output put live into the page.
      const out = sanitizePastedHTML(html).html
      const found = problems(out, PASTE_ALLOWED).map(p => `sanitized: ${p}`)
      live.insertAdjacentHTML('beforeend', out)
      // A real paste into the editor, which is itself live in the page.
      editor.commands.clearContent(true)
      const dt = new DataTransfer()
      dt.setData('text/html', html)
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
      found.push(...problems(editor.getHTML(), EDITOR_ALLOWED).map(p => `editor: ${p}`))
      found.push(...markdownProblems(textarea.value).map(p => `markdown: ${p}`))
      if (found.length) failures.push(`${name}: ${found.join('; ')}\n  ${html}`)
    }
    // Let image errors, iframe loads, toggles and animations fire.
    await new Promise(resolve => setTimeout(resolve, 1500))
    return failures
  }, payloads)
  assert.deepEqual(failures, [])
  assert.deepEqual(await page.evaluate(() => window.__fmHits), [], 'a payload ran')
  assert.deepEqual(dialogs, [])
  assert.equal(new URL(page.url()).host, new URL(base).host, 'the page navigated away')
  assert.deepEqual(offsite.filter(u => !u.startsWith('https://ok.example/')), [], 'requests off the site')
  await page.context().close()
})

test('a rich article pastes whole in Chromium: headings, marks, links, lists, quote, code, image', { skip }, async () => {
  const { page } = await hostilePage()
  const markdown = await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.setData('text/html', `<meta charset="utf-8"><div class="article"><h2 id="x" style="color:red">Title</h2>
      <p>Some <b>bold</b>, <i>italic</i>, <del>struck</del> and <code>code</code> with
      <a href="https://example.com/x" onclick="top.__fmHit(1)" target="_blank">a link</a>.</p>
      <ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol><blockquote><p>quote</p></blockquote>
      <pre><code class="language-js">let x = 1</code></pre><img src="https://ok.example/a.png" alt="A photo"></div>`)
    document.querySelector('[data-composer-editor]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    return document.querySelector('textarea[name=body]').value
  })
  assert.equal(markdown, [
    '## Title', 'Some **bold**, *italic*, ~~struck~~ and `code` with [a link](https://example.com/x).',
    '- one\n- two', '3. three', '> quote', '```js\nlet x = 1\n```', '![A photo](https://ok.example/a.png)',
  ].join('\n\n'))
  await page.context().close()
})
