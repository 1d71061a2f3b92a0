// composer.js: mountComposer(form) replaces the reply textarea with a TipTap editor.
// The textarea stays in the form (name=body) and always holds the editor's Markdown.
import { Editor } from '@tiptap/core'
import { Placeholder } from '@tiptap/extensions'
import { Selection } from '@tiptap/pm/state'
import { composerExtensions } from './extensions.js'
import { ComposerBehaviour, LOAD_META, plainSlice } from './behaviour.js'
import { Notices } from './notices.js'
import { buildToolbar } from './toolbar.js'
import { MentionSuggestion } from './mentions.js'
import { readLocalDraft, writeLocalDraft, removeLocalDraft, requestJSON } from './drafts.js'
import { gettext, ngettext, interpolate } from './i18n.js'

// The paste sanitizer the editor uses, for the browser checks (already in this bundle).
export { sanitizePastedHTML } from './sanitize.js'

// Looked up when shown (getters), in the page's language (i18n.js).
export const MESSAGES = {
  get richPasted() { return gettext('Pasted as rich text.') },
  get pasteAsPlain() { return gettext('Paste as plain text instead') },
  get plainPasted() { return gettext('Pasted as plain text.') },
  get restoreFormatting() { return gettext('Restore formatting') },
  emojiLimit: n => interpolate(ngettext('Only %(count)s emoji is allowed.', 'Only %(count)s emoji are allowed.', n), { count: n }),
  get embedded() { return gettext('Your link has been automatically embedded.') },
  get displayAsLink() { return gettext('Display as a link instead') },
  get restored() { return gettext('Your previous content has been restored.') },
  get clearEditor() { return gettext('Clear editor') },
  get noImages() { return gettext('You cannot paste images directly. Upload or insert images from URL.') },
  get uploading() { return gettext('Uploading image…') },
  get uploadFailed() { return gettext('The image could not be uploaded.') },
  altText: name => (name
    ? interpolate(gettext('Describe “%(name)s” for people who cannot see it (alt text):'), { name })
    : gettext('Describe this image for people who cannot see it (alt text):')),
  get draftConflict() { return gettext('This draft was changed in another window. Reload to see the newer text.') },
  get draftRefused() { return gettext('The server could not keep this draft.') },
  get editorLabel() { return gettext('Post body') },
  get linkPrompt() { return gettext('Link URL') },
  get imageUrlPrompt() { return gettext('Image URL') },
}

export const SAVE_INTERVAL_MS = 2000
const ALT_MAX = 300

function ensureStylesheet(href) {
  if (!href || typeof document === 'undefined') return
  const abs = new URL(href, location.href).href
  if (Array.from(document.querySelectorAll('link[rel=stylesheet]')).some(l => l.href === abs)) return
  const link = document.createElement('link')
  link.rel = 'stylesheet'
  link.href = abs
  document.head.append(link)
}

export function mountComposer(form, options = {}) {
  if (form.__folkmootComposer) { form.__folkmootComposer.editor.commands.focus(); return form.__folkmootComposer }
  const textarea = form.querySelector('textarea[name=body]')
  if (!textarea) return null
  ensureStylesheet(form.dataset.composerCss)

  const ds = form.dataset
  const emojiMax = parseInt(ds.emojiMax || '', 10) || 0
  const canUpload = ds.canUpload === 'true' && !!ds.uploadUrl
  const draftKey = ds.draftKey || ''
  const draftUrl = ds.draftUrl || ''
  const seqInput = form.querySelector('input[name=draft_seq]')
  let seq = parseInt(seqInput?.value || '0', 10) || 0
  const setSeq = n => { seq = n; if (seqInput) seqInput.value = String(n) }
  const interval = options.saveInterval ?? SAVE_INTERVAL_MS

  const wrapper = document.createElement('div')
  wrapper.className = 'fm-composer'
  textarea.parentNode.insertBefore(wrapper, textarea)
  const notices = new Notices(form, wrapper)
  const host = document.createElement('div')
  host.className = 'fm-editor-host'
  // Says how many members match an @name as it is typed (mentions.js).
  const mentionStatus = document.createElement('p')
  mentionStatus.className = 'fm-visually-hidden'
  mentionStatus.setAttribute('aria-live', 'polite')
  const mentionUrl = ds.mentionUrl || ''

  // Tracked positions follow every change to the document.
  const tracked = new Set()
  const track = (from, to = from) => { const r = { from, to }; tracked.add(r); return r }

  let editor = null
  const ctx = {
    emojiMax,
    canUpload: () => canUpload,
    onEmojiLimit: () => notices.show('emoji', MESSAGES.emojiLimit(emojiMax)),
    onImagesRefused: () => notices.show('images', MESSAGES.noImages),
    onEmbed: (pos) => {
      const r = track(pos)
      notices.show('embed', MESSAGES.embedded, { label: MESSAGES.displayAsLink, run: () => unembed(r) })
    },
    onRichPaste: (range) => richPasteNotice(track(range.from, range.to)),
    onUpload: (files, pos) => files.forEach(f => uploadImage({ file: f }, pos)),
  }

  editor = new Editor({
    element: host,
    // TipTap would add its base styles as an inline <style>, which the site's
    // Content-Security-Policy refuses: they are in composer.css instead.
    injectCSS: false,
    extensions: [
      ComposerBehaviour(ctx),
      ...composerExtensions(),
      Placeholder.configure({ placeholder: textarea.getAttribute('placeholder') || '' }),
      MentionSuggestion.configure({ lookupUrl: mentionUrl, liveRegion: mentionStatus }),
    ],
    editorProps: {
      attributes: {
        'data-composer-editor': '',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': MESSAGES.editorLabel,
        ...(mentionUrl ? { 'aria-autocomplete': 'list' } : {}),
        class: 'fm-editor',
      },
    },
  })
  // The spaces the visitor types must stay where they type them before composer.css has
  // arrived too: with the page's default white-space a space at the end of a line collapses,
  // and the next key went before it ("Typed bya\u00a0") or beside it ("Typed by  a"). Set with
  // the CSSOM, which the site's Content-Security-Policy allows (a style attribute it refuses).
  editor.view.dom.style.whiteSpace = globalThis.CSS?.supports('white-space', 'break-spaces') ? 'break-spaces' : 'pre-wrap'
  const load = (markdown) => {
    const json = editor.markdown.parse(markdown || '')
    const tr = editor.state.tr
    const doc = editor.schema.nodeFromJSON(json)
    tr.replaceWith(0, tr.doc.content.size, doc.content).setMeta(LOAD_META, true)
    editor.view.dispatch(tr)
  }
  load(textarea.value)

  editor.on('transaction', ({ transaction }) => {
    if (!transaction.docChanged) return
    for (const r of tracked) {
      r.from = transaction.mapping.map(r.from, -1)
      r.to = Math.max(r.from, transaction.mapping.map(r.to, 1))
    }
  })

  // --- Markdown sync -------------------------------------------------------------
  const markdown = () => (editor.isEmpty ? '' : editor.getMarkdown().replace(/\s+$/, ''))
  const sync = () => { textarea.value = markdown(); return textarea.value }
  let dirty = false
  editor.on('update', () => { sync(); dirty = true })
  form.addEventListener('submit', () => { sync(); writeLocalDraft(draftKey, textarea.value) })
  form.addEventListener('formdata', () => sync())
  // Text that reaches the textarea after the editor has taken its place (typed in the moment
  // the editor's code arrived, or filled in by the browser) goes into the editor, or the next
  // sync would wipe it.
  textarea.addEventListener('input', () => { if (textarea.value !== markdown()) load(textarea.value) })

  // --- Rich paste ----------------------------------------------------------------
  function richPasteNotice(r) {
    notices.show('paste', MESSAGES.richPasted, {
      label: MESSAGES.pasteAsPlain,
      run: () => {
        const rich = editor.state.doc.slice(r.from, r.to)
        const tr = editor.state.tr.replace(r.from, r.to, plainSlice(editor.schema, rich.content))
        const end = tr.mapping.map(r.to, 1)
        const before = editor.state
        editor.view.dispatch(tr)
        if (editor.state === before) return
        tracked.delete(r)
        const p = track(r.from, end)
        notices.show('paste', MESSAGES.plainPasted, {
          label: MESSAGES.restoreFormatting,
          run: () => {
            const tr2 = editor.state.tr.replace(p.from, p.to, rich)
            const end2 = tr2.mapping.map(p.to, 1)
            const before2 = editor.state
            editor.view.dispatch(tr2)
            if (editor.state === before2) return
            tracked.delete(p)
            richPasteNotice(track(p.from, end2))
          },
        })
      },
    })
  }

  // --- Embeds --------------------------------------------------------------------
  function unembed(r) {
    const node = editor.state.doc.nodeAt(r.from)
    tracked.delete(r)
    notices.dismiss('embed')
    if (!node || node.type.name !== 'embed') return
    const url = node.attrs.url
    const link = editor.schema.marks.link.create({ href: url })
    const para = editor.schema.nodes.paragraph.create(null, editor.schema.text(url, [link]))
    editor.view.dispatch(editor.state.tr.replaceWith(r.from, r.from + node.nodeSize, para))
    editor.commands.focus()
  }

  // --- Images --------------------------------------------------------------------
  // Alt text is asked for as each image is added; Cancel or nothing leaves it without one.
  const askAltText = (name) => {
    const text = window.prompt(MESSAGES.altText(name), '')
    return text === null ? '' : text.replace(/\s+/g, ' ').trim().slice(0, ALT_MAX)
  }

  async function uploadImage({ file, url }, pos) {
    if (!canUpload) { notices.show('images', MESSAGES.noImages); return }
    const alt = askAltText(file ? file.name : '')
    const at = track(pos)
    notices.show('upload', MESSAGES.uploading)
    const body = new FormData()
    if (file) body.append('file', file, file.name || 'image')
    else body.append('url', url)
    let res
    try {
      res = await requestJSON(form, 'POST', ds.uploadUrl, body)
    } catch (e) {
      res = { status: 0, data: null }
    }
    tracked.delete(at)
    if (res.status === 201 && res.data && res.data.url) {
      notices.dismiss('upload')
      const attrs = { src: res.data.url, alt }
      if (res.data.width) attrs.width = res.data.width
      if (res.data.height) attrs.height = res.data.height
      const p = Math.min(at.from, editor.state.doc.content.size)
      editor.chain().insertContentAt(p, { type: 'image', attrs }).focus().run()
    } else {
      notices.show('upload', (res.data && res.data.error) || MESSAGES.uploadFailed)
    }
  }

  // --- Toolbar -------------------------------------------------------------------
  const toolbar = buildToolbar({
    editor,
    canUpload,
    onLink: () => {
      const prev = editor.getAttributes('link').href || ''
      const href = window.prompt(MESSAGES.linkPrompt, prev || 'https://')
      if (href === null) return
      const value = href.trim()
      if (!value || value === 'https://') { editor.chain().focus().extendMarkRange('link').unsetLink().run(); return }
      if (!/^(https?:\/\/|mailto:|\/)/i.test(value)) return
      if (editor.state.selection.empty && !editor.isActive('link')) {
        editor.chain().focus().insertContent({ type: 'text', text: value, marks: [{ type: 'link', attrs: { href: value } }] }).run()
      } else {
        editor.chain().focus().extendMarkRange('link').setLink({ href: value }).run()
      }
    },
    onImageFiles: files => files.forEach(f => uploadImage({ file: f }, editor.state.selection.from)),
    onImageUrl: () => {
      const url = window.prompt(MESSAGES.imageUrlPrompt, 'https://')
      if (url && /^https?:\/\/\S+$/i.test(url.trim())) uploadImage({ url: url.trim() }, editor.state.selection.from)
    },
  })
  wrapper.append(toolbar, host, mentionStatus)
  textarea.hidden = true
  textarea.removeAttribute('required')
  textarea.setAttribute('aria-hidden', 'true')
  textarea.tabIndex = -1

  // --- Drafts --------------------------------------------------------------------
  let serverSaving = !!draftUrl
  let inflight = false
  let serverDirty = false
  const restoredNotice = () => notices.show('draft', MESSAGES.restored, {
    label: MESSAGES.clearEditor,
    run: () => {
      editor.commands.clearContent(true)
      sync()
      dirty = false
      serverDirty = false
      removeLocalDraft(draftKey)
      notices.dismiss('draft')
      if (draftUrl) requestJSON(form, 'DELETE', draftUrl).then(() => setSeq(0), () => {})
      editor.commands.focus()
    },
  })
  const restore = (body) => {
    if (!body || !body.trim() || !editor.isEmpty) return false
    load(body)
    sync()
    restoredNotice()
    return true
  }
  const restoring = (async () => {
    if (textarea.value.trim()) return // the server re-rendered the form with text: keep it
    if (draftUrl) {
      try {
        const { status, data } = await requestJSON(form, 'GET', draftUrl)
        if (status === 200 && data) {
          if (typeof data.seq === 'number') setSeq(data.seq)
          if (restore(typeof data.body === 'string' ? data.body : '')) return
        }
      } catch (e) { /* offline: fall back to the local draft */ }
    }
    const local = readLocalDraft(draftKey)
    if (local) restore(local.body)
  })()

  const save = async () => {
    if (dirty) {
      dirty = false
      writeLocalDraft(draftKey, sync())
      serverDirty = true
    }
    if (!serverSaving || !serverDirty || inflight) return
    serverDirty = false
    inflight = true
    try {
      const { status, data } = await requestJSON(form, 'PUT', draftUrl, { body: textarea.value, seq })
      if (status === 200 && data && typeof data.seq === 'number') {
        setSeq(data.seq)
        notices.dismiss('draft-refused')
      } else if (status === 409) {
        serverSaving = false
        notices.show('draft-conflict', (data && data.error) || MESSAGES.draftConflict)
      } else if (status === 400 || status === 413) {
        // Refused as it stands (too long, say): say why, and try again once the text changes.
        notices.show('draft-refused', (data && data.error) || MESSAGES.draftRefused)
      } else serverDirty = true
    } catch (e) {
      serverDirty = true
    } finally {
      inflight = false
    }
  }
  const timer = setInterval(save, interval)

  const api = {
    editor,
    notices,
    restoring,
    save,
    sync,
    destroy() {
      clearInterval(timer)
      editor.destroy()
      wrapper.remove()
      textarea.hidden = false
      textarea.removeAttribute('aria-hidden')
      textarea.removeAttribute('tabindex')
      delete form.__folkmootComposer
    },
  }
  form.__folkmootComposer = api
  // The editor loads while the visitor may already be typing elsewhere (their email, say):
  // take the focus only from the textarea it replaces, never from another field. And take it
  // now, in this task, not with TipTap's focus command: that focuses a frame later, and on a
  // busy machine the keys pressed in that frame went nowhere (the textarea is hidden) and the
  // focus was taken from the field the visitor had moved to meanwhile (their email typed into
  // the post: a 400 for want of an address).
  const active = document.activeElement
  if (!active || active === document.body || active === textarea || active.matches('[data-composer-open]')) {
    editor.view.dispatch(editor.state.tr.setSelection(Selection.atEnd(editor.state.doc)))
    editor.view.focus()
  }
  return api
}
