// Real-browser checks (Debian Chromium via playwright-core). Run: npm run test:browser
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { startServer } from '../dev-server.mjs'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM}`
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

// Each test: its own browser context (own localStorage) and a server without a draft.
async function newPage() {
  srv.state.draft = null
  srv.state.log = []
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  return page
}
const done = page => page.context().close()

const body = page => page.$eval('textarea[name=body]', t => t.value)
const noticeTexts = page => page.$$eval('[data-composer-notices] .fm-notice', rows => rows.map(r => r.textContent))

async function openComposer(page, query = '') {
  await page.goto(base + query)
  await page.click('textarea[name=body]')
  await page.waitForSelector('[data-composer-editor]')
}

function paste(page, data) {
  return page.evaluate(({ html, text }) => {
    const dt = new DataTransfer()
    if (html) dt.setData('text/html', html)
    if (text) dt.setData('text/plain', text)
    document.querySelector('[data-composer-editor]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, data)
}

test('loader loads nothing until the textarea is used, then mounts the editor', { skip }, async () => {
  const page = await newPage()
  const requested = []
  page.on('request', r => requested.push(new URL(r.url()).pathname))
  await page.goto(base)
  await page.waitForTimeout(200)
  assert.ok(requested.includes('/static/folkmoot/composer/composer-loader.js'))
  assert.ok(!requested.some(p => p.endsWith('/composer.js') || p.endsWith('.css')))
  await page.click('textarea[name=body]')
  await page.waitForSelector('[data-composer-editor][role=textbox][aria-multiline=true][aria-label="Post body"]')
  assert.ok(requested.includes('/static/folkmoot/composer/composer.js'))
  assert.ok(requested.includes('/static/folkmoot/composer/composer.css'))
  assert.equal(await page.$eval('textarea[name=body]', t => t.hidden), true)
  assert.equal(await page.evaluate(() => document.activeElement.hasAttribute('data-composer-editor')), true)
  await page.keyboard.type('Hello ')
  await page.keyboard.press('Control+b')
  await page.keyboard.type('world')
  assert.equal(await body(page), 'Hello **world**')
  await done(page)
})

test('typed bare URL + Enter becomes an embed; "Display as a link instead" keeps a link', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('https://example.com/a')
  await page.keyboard.press('Enter')
  await page.waitForSelector('.fm-embed')
  assert.equal((await body(page)).trim(), 'https://example.com/a')
  assert.ok((await noticeTexts(page)).some(t => t.includes('Your link has been automatically embedded.')))
  await page.click('text=Display as a link instead')
  assert.equal(await page.$$eval('.fm-embed', e => e.length), 0)
  assert.equal((await body(page)).trim(), '[https://example.com/a](https://example.com/a)')
  // Enter at the end of that link paragraph does not re-embed it.
  await page.click('[data-composer-editor] a')
  await page.keyboard.press('End')
  await page.keyboard.press('Enter')
  assert.equal(await page.$$eval('.fm-embed', e => e.length), 0)
  await done(page)
})

test('a URL pasted into an empty paragraph embeds', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await paste(page, { text: 'https://example.com/pasted' })
  await page.waitForSelector('.fm-embed')
  assert.equal((await body(page)).trim(), 'https://example.com/pasted')
  await done(page)
})

test('rich paste notice: plain text instead, then restore formatting', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('Start.')
  await page.keyboard.press('Enter')
  await paste(page, {
    html: '<h2>Spotlight</h2><p>Some <strong>bold</strong> and <a href="https://example.com/x">a link</a>.</p><script>window.pwned=1</script><img src="data:image/png;base64,AAAA">',
    text: 'Spotlight\n\nSome bold and a link.',
  })
  const rich = await body(page)
  assert.ok(rich.includes('## Spotlight') && rich.includes('**bold**'), rich)
  const texts = await noticeTexts(page)
  assert.ok(texts.some(t => t.includes('Pasted as rich text.') && t.includes('Paste as plain text instead')), texts.join('|'))
  assert.ok(texts.some(t => t.includes('You cannot paste images directly. Upload or insert images from URL.')))
  assert.equal(await page.evaluate(() => window.pwned), undefined)
  await page.click('text=Paste as plain text instead')
  const plain = await body(page)
  assert.equal(plain, 'Start.\n\nSpotlight\n\nSome bold and a link.')
  assert.ok((await noticeTexts(page)).some(t => t.includes('Pasted as plain text.') && t.includes('Restore formatting')))
  await page.click('text=Restore formatting')
  assert.equal(await body(page), rich)
  await page.click('.fm-notice[data-notice=paste] [aria-label=Dismiss]')
  assert.ok(!(await noticeTexts(page)).some(t => t.includes('Pasted as')))
  await done(page)
})

test('emoji over the limit are refused with a notice', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.insertText('😀'.repeat(74) + ':tada:')
  assert.equal(await body(page), '😀'.repeat(74) + ':tada:')
  await page.keyboard.insertText('👍')
  assert.equal(await body(page), '😀'.repeat(74) + ':tada:')
  assert.ok((await noticeTexts(page)).some(t => t.includes('Only 75 emoji are allowed.')))
  await done(page)
})

test('drafts: saved locally and to the server, restored on reload, cleared', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('Draft text')
  await page.waitForTimeout(2600)
  const put = srv.state.log.find(l => l.method === 'PUT')
  assert.ok(put, 'PUT sent')
  assert.equal(put.csrf, 'test-token')
  assert.deepEqual(JSON.parse(put.body), { body: 'Draft text', seq: 0 })
  assert.equal(await page.$eval('input[name=draft_seq]', i => i.value), '1')
  const local = await page.evaluate(() => JSON.parse(localStorage.getItem('folkmoot:draft:example.com:topic-12:user-5')))
  assert.equal(local.body, 'Draft text')
  await page.reload()
  await page.click('textarea[name=body]')
  await page.waitForSelector('.fm-notice[data-notice=draft]')
  assert.equal(await body(page), 'Draft text')
  assert.ok((await noticeTexts(page)).some(t => t.includes('Your previous content has been restored.') && t.includes('Clear editor')))
  await page.click('text=Clear editor')
  await page.waitForTimeout(200)
  assert.equal(await body(page), '')
  assert.equal(await page.evaluate(() => localStorage.getItem('folkmoot:draft:example.com:topic-12:user-5')), null)
  assert.ok(srv.state.log.some(l => l.method === 'DELETE' && l.csrf === 'test-token'))
  assert.equal(srv.state.draft, null)
  await done(page)
})

test('image paste uploads and inserts; submit sends Markdown', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('Look:')
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'shot.png', { type: 'image/png' }))
    document.querySelector('[data-composer-editor]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  })
  await page.waitForSelector('[data-composer-editor] img')
  assert.match(await body(page), /!\[\]\(\/media\/attachments\/2026\/\d+\/x\.webp\)/)
  const upload = srv.state.log.find(l => l.method === 'POST' && l.path === '/uploads/')
  assert.equal(upload.csrf, 'test-token')
  assert.ok(upload.body.includes('name="file"'))
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  const posted = new URLSearchParams(await resp.text())
  // Browsers send textarea newlines as CRLF in form posts.
  assert.match(posted.get('body'), /^Look:\r\n\r\n!\[\]\(\/media\/attachments\//)
  await done(page)
})

test('toolbar: role, labels, arrow keys, emoji picker with Escape', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  const labels = await page.$$eval('[role=toolbar] > .fm-tool', b => b.map(x => x.getAttribute('aria-label')))
  assert.deepEqual(labels, ['Bold', 'Italic', 'Strikethrough', 'Link', 'Quote', 'Code', 'Bulleted list', 'Numbered list', 'Heading', 'Emoji', 'Upload image', 'Insert image from URL'])
  await page.focus('[role=toolbar] > .fm-tool[aria-label=Bold]')
  await page.keyboard.press('ArrowRight')
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Italic')
  await page.click('[aria-label=Emoji]')
  await page.waitForSelector('.fm-emoji-picker:not([hidden])')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  assert.equal(await body(page), '😂')
  await page.keyboard.press('Escape')
  assert.equal(await page.$eval('.fm-emoji-picker', e => e.hidden), true)
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Emoji')
  await done(page)
})

test('toolbar on a right-to-left page: the arrow keys follow the tools as laid out', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.evaluate(() => { document.documentElement.dir = 'rtl' })
  const left = label => page.$eval(`[role=toolbar] > .fm-tool[aria-label="${label}"]`, b => b.getBoundingClientRect().left)
  assert.ok(await left('Italic') < await left('Bold')) // Italic comes after Bold, to its left
  await page.focus('[role=toolbar] > .fm-tool[aria-label=Bold]')
  await page.keyboard.press('ArrowLeft')
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Italic')
  await page.keyboard.press('ArrowRight')
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Bold')
  await done(page)
})

test('guest: images cannot be pasted; the rest of the paste goes in; no server draft', { skip }, async () => {
  const page = await newPage()
  await openComposer(page, '?guest=1')
  assert.equal(await page.$('[aria-label="Upload image"]'), null)
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array([1])], 'a.png', { type: 'image/png' }))
    document.querySelector('[data-composer-editor]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  })
  assert.ok((await noticeTexts(page)).some(t => t.includes('You cannot paste images directly. Upload or insert images from URL.')))
  await paste(page, { html: '<p>Words</p><img src="https://example.com/photo.jpg" width="1" height="1"><img src="data:image/png;base64,AAAA">', text: 'Words' })
  assert.equal(await body(page), 'Words')
  await page.waitForTimeout(2300)
  assert.ok(!srv.state.log.some(l => l.path.startsWith('/drafts/') || l.path.startsWith('/uploads/')))
  const local = await page.evaluate(() => JSON.parse(localStorage.getItem('folkmoot:draft:example.com:topic-12:guest')))
  assert.equal(local.body, 'Words')
  await done(page)
})

test('draft conflict (409) shows the server error and stops server saves', { skip }, async () => {
  const page = await newPage()
  srv.state.draft = { body: '', seq: 4 }
  await openComposer(page)
  await page.waitForTimeout(100)
  assert.equal(await page.$eval('input[name=draft_seq]', i => i.value), '4')
  srv.state.conflict = true
  await page.keyboard.type('One')
  await page.waitForTimeout(2300)
  assert.ok((await noticeTexts(page)).some(t => t.includes('This draft was changed in another window. Reload to see the newer text.')))
  const puts = () => srv.state.log.filter(l => l.method === 'PUT').length
  const n = puts()
  await page.keyboard.type(' two')
  await page.waitForTimeout(2300)
  assert.equal(puts(), n)
  srv.state.conflict = false
  await done(page)
})

test('server draft is preferred over the local one; data-draft-posted clears the local one', { skip }, async () => {
  const page = await newPage()
  await page.goto(base)
  await page.evaluate(() => localStorage.setItem('folkmoot:draft:example.com:topic-12:user-5', JSON.stringify({ body: 'local', savedAt: Date.now() })))
  srv.state.draft = { body: 'from server', seq: 2 }
  await openComposer(page)
  await page.waitForSelector('.fm-notice[data-notice=draft]')
  assert.equal(await body(page), 'from server')
  await page.goto(base + '?posted=1')
  await page.waitForTimeout(100)
  assert.equal(await page.evaluate(() => localStorage.getItem('folkmoot:draft:example.com:topic-12:user-5')), null)
  assert.equal(await page.$('[data-composer-editor]'), null)
  await done(page)
})

test('insert image from URL posts `url`; upload errors show as notices', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  page.once('dialog', d => d.accept('https://bad.example/x.png'))
  await page.click('[aria-label="Insert image from URL"]')
  await page.waitForSelector('text=That address did not return an image.')
  page.once('dialog', d => d.accept('https://good.example/x.png'))
  await page.click('[aria-label="Insert image from URL"]')
  await page.waitForSelector('[data-composer-editor] img')
  assert.ok(srv.state.log.some(l => l.path === '/uploads/' && l.body.includes('name="url"') && l.body.includes('https://good.example/x.png')))
  assert.match(await body(page), /!\[\]\(\/media\/attachments\/2026\/\d+\/x\.webp\)/)
  await done(page)
})

test('the editor asks for alt text on upload and on insert from URL', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  const asked = []
  page.on('dialog', d => {
    asked.push(d.message())
    if (d.message().startsWith('Image URL')) d.accept('https://good.example/x.png')
    else d.accept(asked.length === 1 ? '  A map of\n the valley ' : 'A photo from the web')
  })
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'map.png', { type: 'image/png' }))
    document.querySelector('[data-composer-editor]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  })
  await page.waitForSelector('[data-composer-editor] img[alt="A map of the valley"]')
  await page.click('[aria-label="Insert image from URL"]')
  await page.waitForSelector('[data-composer-editor] img[alt="A photo from the web"]')
  assert.equal(asked[0], 'Describe “map.png” for people who cannot see it (alt text):')
  assert.deepEqual(asked.slice(1), ['Image URL', 'Describe this image for people who cannot see it (alt text):'])
  const markdown = await body(page)
  assert.match(markdown, /!\[A map of the valley\]\(\/media\/attachments\//)
  assert.match(markdown, /!\[A photo from the web\]\(\/media\/attachments\//)
  await done(page)
})

test('dropping an image file uploads it at the drop position', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('First')
  await page.evaluate(() => {
    const ed = document.querySelector('[data-composer-editor]')
    const r = ed.querySelector('p').getBoundingClientRect()
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array([1])], 'd.png', { type: 'image/png' }))
    ed.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.right - 1, clientY: r.top + r.height / 2 }))
  })
  await page.waitForSelector('[data-composer-editor] img')
  assert.match(await body(page), /^First\n\n!\[\]\(\/media\//)
  await done(page)
})

test('rich paste inside a sentence: plain text replaces exactly the pasted range', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await page.keyboard.type('Before  after.')
  // Caret between the two spaces (document position 8), set through the editor: synthetic
  // arrow keys race ProseMirror's asynchronous read of the DOM selection.
  await page.evaluate(() => document.querySelector('form').__folkmootComposer.editor.commands.setTextSelection(8))
  await paste(page, { html: '<em>very</em> <strong>important</strong>', text: 'very important' })
  assert.equal(await body(page), 'Before *very* **important** after.')
  await page.click('text=Paste as plain text instead')
  assert.equal(await body(page), 'Before very important after.')
  await page.click('text=Restore formatting')
  assert.equal(await body(page), 'Before *very* **important** after.')
  await done(page)
})

test('plain paragraphs and links paste without the rich notice', { skip }, async () => {
  const page = await newPage()
  await openComposer(page)
  await paste(page, { html: '<p>One <a href="https://example.com/">link</a></p><p>Two</p>', text: 'One link\n\nTwo' })
  assert.equal(await body(page), 'One [link](https://example.com/)\n\nTwo')
  assert.deepEqual(await noticeTexts(page), [])
  await done(page)
})
