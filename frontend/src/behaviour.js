// Paste, drop, emoji limit and link-embed rules, as one ProseMirror plugin.
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import { Fragment, Slice } from '@tiptap/pm/model'
import { countEmoji } from './emoji.js'
import { sanitizePastedHTML } from './sanitize.js'
import { isBareUrl } from './extensions.js'

export const behaviourKey = new PluginKey('folkmootComposer')
export const LOAD_META = 'folkmootLoad' // bypasses the emoji filter (loading text the user already has)

/** The range a transaction changed, in the coordinates of tr.doc. */
export function changedRange(tr) {
  let from = Infinity
  let to = -Infinity
  tr.mapping.maps.forEach((map, i) => {
    const rest = tr.mapping.slice(i + 1)
    map.forEach((_oS, _oE, nS, nE) => {
      from = Math.min(from, rest.map(nS, -1))
      to = Math.max(to, rest.map(nE, 1))
    })
  })
  return from <= to ? { from, to } : null
}

/** True when the slice holds more than paragraphs, text, line breaks and links. */
export function isRichSlice(slice) {
  let rich = false
  slice.content.descendants(node => {
    if (rich) return false
    if (node.isText) {
      if (node.marks.some(m => m.type.name !== 'link')) rich = true
    } else if (!['paragraph', 'hardBreak'].includes(node.type.name)) rich = true
    return !rich
  })
  return rich
}

/** The plain-text paragraphs of a slice: one string per textblock. */
export function plainParagraphs(fragment) {
  const out = []
  if (fragment.firstChild && fragment.firstChild.isInline) {
    return [fragment.textBetween(0, fragment.size, '\n', '\n')]
  }
  fragment.descendants(node => {
    if (node.isTextblock) { out.push(node.textBetween(0, node.content.size, '\n', '\n')); return false }
    if (node.isLeaf && node.type.name === 'embed') out.push(node.attrs.url)
    return true
  })
  return out
}

export function plainSlice(schema, fragment) {
  const paras = plainParagraphs(fragment).map(text => {
    const parts = text.split('\n')
    const inline = []
    parts.forEach((p, i) => {
      if (i) inline.push(schema.nodes.hardBreak.create())
      if (p) inline.push(schema.text(p))
    })
    return schema.nodes.paragraph.create(null, inline)
  })
  if (!paras.length) return Slice.empty
  return new Slice(Fragment.from(paras), 1, 1)
}

// Emoji are counted in the Markdown the server will receive. The Markdown of a document is
// its top-level blocks joined by blank lines, and neither a grapheme nor a shortcode spans a
// blank line, so the count is the sum over blocks. ProseMirror keeps unchanged blocks as the
// same objects, so a keystroke re-serializes and re-counts only the block it touched.
const blockCounts = new WeakMap()
export function docEmojiCount(editor, doc) {
  let n = 0
  doc.forEach(block => {
    let c = blockCounts.get(block)
    if (c === undefined) {
      const md = editor.markdown
        ? editor.markdown.serialize({ type: 'doc', content: [block.toJSON()] })
        : block.textBetween(0, block.content.size, '\n', '\n')
      c = countEmoji(md)
      blockCounts.set(block, c)
    }
    n += c
  })
  return n
}

function imageFiles(list) {
  return Array.from(list || []).filter(f => f && /^image\//.test(f.type))
}

/** Replace the paragraph around $pos with an embed (+ a paragraph after it when needed). */
function embedParagraph(state, $from, url) {
  const { schema } = state
  const start = $from.before()
  const end = $from.after()
  const embed = schema.nodes.embed.create({ url })
  const para = schema.nodes.paragraph.create()
  const tr = state.tr.replaceWith(start, end, [embed, para])
  tr.setSelection(TextSelection.create(tr.doc, start + embed.nodeSize + 1))
  return { tr, pos: start }
}

function canHoldEmbed($from, schema) {
  const parent = $from.node(-1)
  const index = $from.index(-1)
  return parent.canReplaceWith(index, index + 1, schema.nodes.embed)
}

/**
 * ctx: {
 *   emojiMax, canUpload(),
 *   onEmojiLimit(), onEmbed(pos, url), onRichPaste({from, to, slice}),
 *   onImagesRefused(), onUpload(files, pos)
 * }
 */
export function ComposerBehaviour(ctx) {
  return Extension.create({
    name: 'folkmootBehaviour',
    priority: 10000,
    addProseMirrorPlugins() {
      const editor = this.editor
      let droppedDataImages = false
      const takeDropped = () => { const d = droppedDataImages; droppedDataImages = false; return d }

      return [new Plugin({
        key: behaviourKey,
        filterTransaction(tr, state) {
          if (!tr.docChanged || tr.getMeta(LOAD_META) || !ctx.emojiMax) return true
          const after = docEmojiCount(editor, tr.doc)
          if (after <= ctx.emojiMax || after <= docEmojiCount(editor, state.doc)) return true
          ctx.onEmojiLimit()
          return false
        },
        props: {
          transformPastedHTML(html) {
            const out = sanitizePastedHTML(html)
            if (out.droppedDataImages) droppedDataImages = true
            return out.html
          },
          handleKeyDown(view, event) {
            if ((event.key !== ' ' && event.key !== 'Enter') || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false
            const { state } = view
            const { $from, empty } = state.selection
            const para = $from.parent
            if (!empty || para.type.name !== 'paragraph' || $from.parentOffset !== para.content.size) return false
            const text = para.textContent
            if (!isBareUrl(text) || !canHoldEmbed($from, state.schema)) return false
            let linked = false
            para.forEach(child => { if (child.marks.some(m => m.type.name === 'link')) linked = true })
            if (linked) return false // "Display as a link instead" made it a link: keep it.
            const { tr, pos } = embedParagraph(state, $from, text)
            const before = view.state
            view.dispatch(tr.scrollIntoView())
            if (view.state !== before) ctx.onEmbed(pos, text)
            return true
          },
          handlePaste(view, event, slice) {
            const dt = event.clipboardData
            const files = imageFiles(dt && dt.files)
            const html = dt ? dt.getData('text/html') : ''
            const text = dt ? dt.getData('text/plain') : ''
            const dropped = takeDropped()
            if (files.length) {
              const htmlHasText = html && slice.content.textBetween(0, slice.content.size, '').trim() !== ''
              if (!ctx.canUpload()) {
                ctx.onImagesRefused()
                if (!htmlHasText && !text.trim()) return true
              } else if (!htmlHasText) {
                ctx.onUpload(files, view.state.selection.from)
                return true
              }
            }
            if (dropped) ctx.onImagesRefused()

            const { state } = view
            const { $from, empty } = state.selection
            const trimmed = text.trim()
            if (empty && isBareUrl(trimmed) && $from.parent.type.name === 'paragraph' && $from.parent.content.size === 0 &&
                canHoldEmbed($from, state.schema)) {
              const { tr, pos } = embedParagraph(state, $from, trimmed)
              tr.setMeta('paste', true).setMeta('uiEvent', 'paste')
              view.dispatch(tr.scrollIntoView())
              if (view.state !== state) ctx.onEmbed(pos, trimmed)
              return true
            }

            if (!isRichSlice(slice)) return false
            const tr = state.tr.replaceSelection(slice).scrollIntoView().setMeta('paste', true).setMeta('uiEvent', 'paste')
            const range = changedRange(tr)
            view.dispatch(tr)
            if (view.state !== state && range) ctx.onRichPaste(range)
            return true
          },
          handleDrop(view, event, slice, moved) {
            if (moved) return false
            const files = imageFiles(event.dataTransfer && event.dataTransfer.files)
            const dropped = takeDropped()
            if (files.length) {
              if (!ctx.canUpload()) { ctx.onImagesRefused(); return true }
              const at = view.posAtCoords({ left: event.clientX, top: event.clientY })
              ctx.onUpload(files, at ? at.pos : view.state.selection.from)
              event.preventDefault()
              return true
            }
            if (dropped) ctx.onImagesRefused()
            return false
          },
        },
      })]
    },
  })
}
