import './dom.js'
import { test, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { mountComposer } from '../src/composer.js'
import { readLocalDraft, DRAFT_MAX_AGE_MS } from '../src/drafts.js'

const KEY = 'folkmoot:draft:example.com:topic-12:guest'
const mounted = []

function makeForm({ body = '', notices = true, emojiMax = 75, canUpload = false, extra = '' } = {}) {
  document.body.innerHTML = `
  <form method="post" action="/t/12-slug/reply/" data-composer
        data-composer-src="/static/folkmoot/composer/composer.js"
        data-emoji-max="${emojiMax}" data-draft-key="${KEY}"
        data-can-upload="${canUpload}" ${canUpload ? 'data-upload-url="/uploads/"' : ''} ${extra}>
    <input type="hidden" name="csrfmiddlewaretoken" value="tok">
    <input type="hidden" name="draft_seq" value="0">
    ${notices ? '<div data-composer-notices aria-live="polite"></div>' : ''}
    <textarea name="body" placeholder="Reply to this topic..."></textarea>
    <button type="submit">Submit reply</button>
  </form>`
  const form = document.querySelector('form')
  form.querySelector('textarea').value = body
  return form
}

function mount(form) {
  const c = mountComposer(form, { saveInterval: 60_000 })
  mounted.push(c)
  return c
}

afterEach(() => {
  while (mounted.length) mounted.pop().destroy()
  localStorage.clear()
})

const noticeTexts = form => Array.from(form.querySelectorAll('.fm-notice')).map(r => r.textContent)

test('mount: hides the textarea, keeps it in the form, marks the editor', () => {
  const form = makeForm({ body: 'Hello **there**' })
  const c = mount(form)
  const ta = form.querySelector('textarea[name=body]')
  assert.equal(ta.hidden, true)
  assert.equal(ta.form, form)
  const ed = form.querySelector('[data-composer-editor]')
  assert.equal(ed.getAttribute('role'), 'textbox')
  assert.equal(ed.getAttribute('aria-multiline'), 'true')
  assert.equal(ed.getAttribute('aria-label'), 'Post body')
  assert.equal(c.editor.getMarkdown(), 'Hello **there**')
  c.editor.commands.insertContent(' again')
  assert.equal(ta.value, 'Hello **there again**') // typed at the end of bold text: stays bold
  assert.equal(form.querySelector('[role=toolbar]').getAttribute('role'), 'toolbar')
  assert.equal(form.querySelector('[aria-label="Upload image"]'), null, 'no upload button without can-upload')
})

test('mount: creates the notice area above the editor when it is missing', () => {
  const form = makeForm({ notices: false })
  const c = mount(form)
  const area = form.querySelector('[data-composer-notices]')
  assert.ok(area)
  assert.equal(area.getAttribute('aria-live'), 'polite')
  assert.equal(area.getAttribute('role'), 'status')
  assert.equal(area.nextElementSibling, form.querySelector('.fm-composer'))
  c.notices.show('x', 'Message', { label: 'Act', run() {} })
  assert.deepEqual(Array.from(area.querySelectorAll('button')).map(b => b.getAttribute('aria-label') || b.textContent), ['Dismiss', 'Act'])
  area.querySelector('[aria-label=Dismiss]').click()
  assert.equal(area.children.length, 0)
})

test('upload buttons appear only when the user may upload', () => {
  const c = mount(makeForm({ canUpload: true }))
  assert.ok(c.editor.options.element.closest('form').querySelector('[aria-label="Upload image"]'))
  assert.ok(c.editor.options.element.closest('form').querySelector('[aria-label="Insert image from URL"]'))
})

test('emoji over data-emoji-max are refused and the notice shows', () => {
  const form = makeForm({ emojiMax: 3 })
  const c = mount(form)
  c.editor.commands.insertContent('😀😀 :tada:')
  assert.equal(form.querySelector('textarea').value, '😀😀 :tada:')
  c.editor.commands.insertContent('👍')
  assert.equal(form.querySelector('textarea').value, '😀😀 :tada:')
  assert.deepEqual(noticeTexts(form).map(t => t.replace('×', '')), ['Only 3 emoji are allowed.'])
  // Removing emoji is always allowed.
  c.editor.commands.setContent('plain', { contentType: 'markdown', emitUpdate: true })
  assert.equal(form.querySelector('textarea').value, 'plain')
})

test('draft restore from localStorage, then "Clear editor"', async () => {
  localStorage.setItem(KEY, JSON.stringify({ body: 'My *draft*', savedAt: Date.now() - 1000 }))
  const form = makeForm()
  const c = mount(form)
  await c.restoring
  assert.equal(form.querySelector('textarea').value, 'My *draft*')
  const row = form.querySelector('.fm-notice[data-notice=draft]')
  assert.match(row.textContent, /Your previous content has been restored\./)
  Array.from(row.querySelectorAll('button')).find(b => b.textContent === 'Clear editor').click()
  assert.equal(form.querySelector('textarea').value, '')
  assert.equal(localStorage.getItem(KEY), null)
})

test('a re-rendered form with text is not overwritten by the draft', async () => {
  localStorage.setItem(KEY, JSON.stringify({ body: 'old draft', savedAt: Date.now() }))
  const form = makeForm({ body: 'text the server sent back' })
  const c = mount(form)
  await c.restoring
  assert.equal(form.querySelector('textarea').value, 'text the server sent back')
  assert.equal(form.querySelector('.fm-notice'), null)
})

test('drafts older than 30 days expire on read', () => {
  const now = Date.now()
  localStorage.setItem(KEY, JSON.stringify({ body: 'stale', savedAt: now - DRAFT_MAX_AGE_MS - 1 }))
  assert.equal(readLocalDraft(KEY, now), null)
  assert.equal(localStorage.getItem(KEY), null)
  localStorage.setItem(KEY, JSON.stringify({ body: 'fresh', savedAt: now - 1000 }))
  assert.equal(readLocalDraft(KEY, now).body, 'fresh')
})

test('saving writes {body, savedAt} to localStorage; submit syncs the textarea', async () => {
  const form = makeForm()
  const c = mount(form)
  c.editor.commands.insertContent('Typed text')
  await c.save()
  const d = JSON.parse(localStorage.getItem(KEY))
  assert.equal(d.body, 'Typed text')
  assert.equal(typeof d.savedAt, 'number')
  form.querySelector('textarea').value = 'stale'
  form.dispatchEvent(new Event('submit', { cancelable: true }))
  assert.equal(form.querySelector('textarea').value, 'Typed text')
  assert.ok(localStorage.getItem(KEY), 'the draft is kept on submit')
})

test('loader: data-draft-posted removes the local draft without loading the editor', async () => {
  localStorage.setItem(KEY, JSON.stringify({ body: 'posted', savedAt: Date.now() }))
  makeForm({ extra: 'data-draft-posted' })
  await import('../src/loader.js?posted')
  assert.equal(localStorage.getItem(KEY), null)
  assert.equal(document.querySelector('[data-composer-editor]'), null)
})
