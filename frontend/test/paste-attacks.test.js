// The paste sanitizer against classes of attack (test/attacks.js). The sanitizer and the
// checks run in jsdom, whose parser (parse5) follows the HTML standard's tree construction:
// happy-dom's does not (it keeps <p> inside <svg>, loops on a clobbered form), and parser
// differentials are what these attacks are about. The editor runs in happy-dom as elsewhere.
// The same corpus runs in Chromium: browser/paste-attacks.browser.test.js.
import './dom.js'
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { JSDOM } from 'jsdom'
import { Editor } from '@tiptap/core'
import { sanitizePastedHTML } from '../src/sanitize.js'
import { composerExtensions } from '../src/extensions.js'
import { hostilePayloads, problems, markdownProblems, PASTE_ALLOWED, EDITOR_ALLOWED } from './attacks.js'

const { window: standardWindow } = new JSDOM('<!doctype html><body></body>', { url: 'https://example.com/t/1-x/' })
const editor = new Editor({ extensions: composerExtensions() })
after(() => { editor.destroy(); standardWindow.close() })
const payloads = hostilePayloads()
const sanitize = html => sanitizePastedHTML(html, standardWindow).html
const sanitized = new Map()
const sanitizedOnce = html => { if (!sanitized.has(html)) sanitized.set(html, sanitize(html)); return sanitized.get(html) }
const check = (html, allowed) => problems(html, allowed, standardWindow.DOMParser)

test('the corpus covers every class of attack', () => {
  const classes = new Set(payloads.map(([name]) => name.split('/')[0]))
  for (const c of ['plain', 'svg', 'math-mtext-mglyph', 'form-math-mglyph', 'noscript', 'template', 'style', 'title',
    'textarea', 'xmp', 'noembed', 'noframes', 'plaintext', 'comment', 'cdata', 'url', 'handler', 'clobber', 'head']) {
    assert.ok(classes.has(c), c)
  }
  assert.ok(payloads.length > 500, String(payloads.length))
})

test('every hostile paste sanitizes to allowed elements, attributes and URLs only', () => {
  const failures = []
  for (const [name, html] of payloads) {
    const found = check(sanitizedOnce(html), PASTE_ALLOWED)
    if (found.length) failures.push(`${name}: ${found.join('; ')}\n  ${html}`)
  }
  assert.deepEqual(failures, [])
})

test("every hostile paste leaves the editor's HTML and Markdown inert", () => {
  const failures = []
  for (const [name, html] of payloads) {
    editor.commands.setContent(sanitizedOnce(html))
    const found = [...check(editor.getHTML(), EDITOR_ALLOWED), ...markdownProblems(editor.getMarkdown())]
    if (found.length) failures.push(`${name}: ${found.join('; ')}\n  ${html}\n  ${editor.getMarkdown()}`)
  }
  assert.deepEqual(failures, [])
})

test('the checks catch what they look for (unsanitized payloads fail them)', () => {
  const caught = payloads.filter(([, html]) => check(html, PASTE_ALLOWED).length > 0)
  assert.equal(caught.length, payloads.length)
  assert.deepEqual(markdownProblems('[x](java\tscript:alert(1))'), ['javascript: in Markdown'])
  assert.deepEqual(check('<a href="java&#x09;script:x">x</a>', PASTE_ALLOWED), ['url href=java\tscript:x'])
  assert.deepEqual(check('<img src="/\\evil.example/a.png">', PASTE_ALLOWED), ['url src=/\\evil.example/a.png'])
})

test('a rich article still pastes whole through DOMPurify', () => {
  const out = sanitizePastedHTML(`<h2 id="a" style="color:red">Title</h2><p>Some <strong>bold</strong>, <em>italic</em>,
    <s>struck</s> and <code>code</code> with <a href="https://example.com/x" onclick="x()">a link</a>.</p>
    <ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol><blockquote><p>quote</p></blockquote>
    <pre><code class="language-js">let x = 1</code></pre><img src="https://example.com/a.png" alt="A photo" title="Dusk">`,
    standardWindow)
  assert.equal(out.rich, true)
  editor.commands.setContent(out.html)
  assert.equal(editor.getMarkdown().trim(), [
    '## Title', 'Some **bold**, *italic*, ~~struck~~ and `code` with [a link](https://example.com/x).',
    '- one\n- two', '3. three', '> quote', '```js\nlet x = 1\n```', '![A photo](https://example.com/a.png "Dusk")',
  ].join('\n\n'))
})

test('a path URL must stay on this site: //host and /\\host are other sites', () => {
  const out = sanitizePastedHTML('<p><a href="/t/1-x/">here</a> <a href="//evil.example/">a</a> <a href="/\\evil.example/">b</a></p>' +
    '<img src="/media/a.png"><img src="/\\evil.example/b.png"><img src="//evil.example/c.png">', standardWindow)
  assert.equal(out.html, '<p><a href="/t/1-x/">here</a> <a>a</a> <a>b</a></p><img src="/media/a.png">')
})

test('blob: and data: images are left out and reported, however they are written', () => {
  for (const src of ['blob:https://example.com/1', ' DATA:image/png;base64,AAAA', 'data&colon;image/png,x']) {
    const out = sanitizePastedHTML(`<p>a</p><img src="${src}">`, standardWindow)
    assert.equal(out.html, '<p>a</p>', src)
    assert.equal(out.droppedDataImages, true, src)
  }
})
