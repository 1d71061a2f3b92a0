import './dom.js'
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { Editor } from '@tiptap/core'
import { DOMParser as PMDOMParser } from '@tiptap/pm/model'
import { sanitizePastedHTML } from '../src/sanitize.js'
import { composerExtensions } from '../src/extensions.js'
import { isRichSlice } from '../src/behaviour.js'

const editor = new Editor({ extensions: composerExtensions() })
after(() => editor.destroy())

/** What ProseMirror would put in the document for this (sanitized) HTML. */
function pasteDoc(html) {
  const el = document.createElement('div')
  el.innerHTML = sanitizePastedHTML(html).html
  return PMDOMParser.fromSchema(editor.schema).parse(el)
}

const hostile = `
<p>Hello <b onclick="steal()">world</b><img src="x" onerror="alert(1)"></p>
<script>alert('x')</script><style>p { color: red }</style>
<div style="display: none">hidden by style</div><div hidden>hidden attribute</div>
<span style="visibility:hidden">invisible</span>
<img src="https://tracker.example/p.gif" width="1" height="1" alt="">
<img src="https://tracker.example/q.gif" style="width:2px;height:2px">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
<iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="x" value="form text"><button>Go</button></form>
<a href="javascript:alert(1)">bad link</a> <a href="https://ok.example/" onmouseover="x()">good link</a>
<svg><script>alert(2)</script></svg><object data="x.swf"></object>
<!-- a comment -->`

test('hostile HTML comes out inert', () => {
  const out = sanitizePastedHTML(hostile)
  const h = out.html.toLowerCase()
  for (const bad of ['<script', '<style', 'onerror', 'onclick', 'onmouseover', 'hidden by style', 'hidden attribute',
    'invisible', 'tracker.example', 'data:', '<iframe', '<form', '<input', 'form text', '<button', 'javascript:', '<svg', '<object', '<!--']) {
    assert.ok(!h.includes(bad), `sanitized HTML still has ${bad}: ${out.html}`)
  }
  assert.equal(out.droppedDataImages, true)
  assert.ok(h.includes('https://ok.example/'))
  assert.ok(h.includes('<b>world</b>'))
})

test('hostile HTML parses to a document without any of it', () => {
  const doc = pasteDoc(hostile)
  const text = doc.textContent
  assert.ok(text.includes('Hello world'))
  assert.ok(!/alert|hidden|invisible|form text|color: red/.test(text), text)
  let images = []
  doc.descendants(n => { if (n.type.name === 'image') images.push(n.attrs.src) })
  // No image survives: trackers, data: and the onerror <img src="x"> (not an http(s) or /path URL) are gone.
  assert.deepEqual(images, [])
  const links = []
  doc.descendants(n => n.marks.forEach(m => m.type.name === 'link' && links.push(m.attrs.href)))
  assert.deepEqual(links, ['https://ok.example/'])
})

test('the data: image is reported so the "cannot paste images" notice shows', () => {
  assert.equal(sanitizePastedHTML('<p>a</p><img src="data:image/gif;base64,R0lG">').droppedDataImages, true)
  assert.equal(sanitizePastedHTML('<p>a</p><img src="https://example.com/a.png">').droppedDataImages, false)
})

const article = `
<meta charset="utf-8"><div class="article">
<p>Fighters from the <a href="https://en.wikipedia.org/wiki/Islamic_State">Islamic State</a> group killed 700 soldiers, guards and staff when they captured a Syrian gas field, <em>a monitoring group said</em>.</p>
<p>The fighters seized the <strong>Shaer gas field</strong> in the desert east of the ancient site of Palmyra on Thursday.</p>
<aside class="spotlight"><h3>Spotlight</h3><p>In-depth coverage of escalating violence across <a href="https://www.aljazeera.com/topics/country/syria.html">Syria</a></p></aside>
<p>It said at least 40 fighters of the Islamic State were killed in the offensive.</p>
<img src="https://stats.example/pixel.gif" width="1" height="1">
</div>`

test('the seed article keeps its structure', () => {
  const doc = pasteDoc(article)
  const blocks = []
  doc.forEach(n => blocks.push([n.type.name, n.textContent.slice(0, 30)]))
  assert.deepEqual(blocks, [
    ['paragraph', 'Fighters from the Islamic Stat'],
    ['paragraph', 'The fighters seized the Shaer '],
    ['heading', 'Spotlight'],
    ['paragraph', 'In-depth coverage of escalatin'],
    ['paragraph', 'It said at least 40 fighters o'],
  ])
  const marks = new Set()
  const hrefs = []
  doc.descendants(n => n.marks.forEach(m => { marks.add(m.type.name); if (m.type.name === 'link') hrefs.push(m.attrs.href) }))
  assert.deepEqual([...marks].sort(), ['bold', 'italic', 'link'])
  assert.deepEqual(hrefs, ['https://en.wikipedia.org/wiki/Islamic_State', 'https://www.aljazeera.com/topics/country/syria.html'])
  assert.equal(isRichSlice(doc.slice(0, doc.content.size)), true)
})

test('paragraphs and links alone are not a rich paste', () => {
  const doc = pasteDoc('<p>One <a href="https://example.com/">link</a></p><p>Two</p>')
  assert.equal(isRichSlice(doc.slice(0, doc.content.size)), false)
})

test('lists, quotes and code keep their structure', () => {
  const doc = pasteDoc('<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol><blockquote><p>q</p></blockquote><pre><code>x = 1</code></pre>')
  const types = []
  doc.forEach(n => types.push(n.type.name))
  assert.deepEqual(types, ['bulletList', 'orderedList', 'blockquote', 'codeBlock'])
})

test('plain text of a pasted range: inline ranges and block ranges', async () => {
  const { plainSlice, plainParagraphs } = await import('../src/behaviour.js')
  const doc = pasteDoc('<p>Before <em>very</em> <strong>important</strong> after.</p><h2>Head</h2><ul><li>item</li></ul>')
  const inline = doc.slice(8, 22)
  assert.deepEqual(plainParagraphs(inline.content), ['very important'])
  const blocks = doc.slice(0, doc.content.size)
  assert.deepEqual(plainParagraphs(blocks.content), ['Before very important after.', 'Head', 'item'])
  const s = plainSlice(editor.schema, blocks.content)
  assert.equal(isRichSlice(s), false)
  assert.equal(s.content.childCount, 3)
})
