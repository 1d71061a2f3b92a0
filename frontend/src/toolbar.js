// Toolbar (role="toolbar", roving tabindex, arrow keys) and the emoji picker popover.
import { gettext, interpolate } from './i18n.js'

export const EMOJI = ['😀', '😂', '🙂', '😉', '😍', '😎', '🤔', '😅', '😢', '😭', '😡', '😮', '🙄', '😴', '🤗', '🥳',
  '👍', '👎', '👏', '🙏', '💪', '👋', '🤝', '👀', '❤️', '💔', '🔥', '⭐', '✨', '🎉', '💯', '✅',
  '❌', '⚠️', '💡', '📌', '📷', '🚀', '☕', '🌍']

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '')

const svg = d => `<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${d}</svg>`
const ICON = {
  link: svg('<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/><path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>'),
  emoji: svg('<circle cx="12" cy="12" r="9"/><path d="M8 14s1.5 2 4 2 4-2 4-2"/><path d="M9 9h.01M15 9h.01"/>'),
  image: svg('<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="9" cy="9" r="2"/><path d="m21 15-5-5L5 21"/>'),
  // Drawn, not typed: a list of "1." and "•" characters would be text the button's name (its
  // aria-label) does not contain, which screen-reader users speaking the name cannot match.
  bulletList: svg('<path d="M9 6h12M9 12h12M9 18h12"/><circle cx="4" cy="6" r="1.2" fill="currentColor"/><circle cx="4" cy="12" r="1.2" fill="currentColor"/><circle cx="4" cy="18" r="1.2" fill="currentColor"/>'),
  orderedList: svg('<path d="M10 6h11M10 12h11M10 18h11"/><path d="M4 4v4M3 8h2M3 11.5a1.2 1.2 0 0 1 2 .8c0 .8-2 1.7-2 2.7h2.2" stroke-width="1.4"/>'),
  imageUrl: svg('<rect x="3" y="3" width="13" height="13" rx="2"/><path d="m16 11-3-3-7 7"/><path d="M19 14v7M15.5 17.5 19 21l3.5-3.5"/>'),
}

// Right-to-left pages (Arabic) lay the tools out from the right: the arrow keys follow what the
// reader sees, so the next tool is to the left.
const nextKey = el => (getComputedStyle(el).direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight')
const previousKey = el => (getComputedStyle(el).direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft')

// A tool's tooltip: its name, and its keyboard shortcut when it has one.
const withShortcut = (label, shortcut) => (shortcut ? `${label} (${shortcut})` : label)

function button(label, icon, title, onClick) {
  const b = document.createElement('button')
  b.type = 'button'
  b.className = 'fm-tool'
  b.setAttribute('aria-label', label)
  b.title = title || label
  b.innerHTML = icon
  b.tabIndex = -1
  b.addEventListener('mousedown', e => e.preventDefault()) // keep the editor selection
  b.addEventListener('click', onClick)
  return b
}

export function buildToolbar({ editor, canUpload, onLink, onImageFiles, onImageUrl }) {
  const bar = document.createElement('div')
  bar.className = 'fm-toolbar'
  bar.setAttribute('role', 'toolbar')
  bar.setAttribute('aria-label', gettext('Formatting'))
  const chain = () => editor.chain().focus()
  const pressed = []
  // Translators: the Control key's name on the keyboard, in the tooltips' shortcuts.
  const MOD = IS_MAC ? '⌘' : `${gettext('Ctrl')}+`
  // Translators: the Shift key's name on the keyboard, in the tooltips' shortcuts.
  const SHIFT = gettext('Shift')

  const add = (label, icon, shortcut, run, isActive) => {
    const b = button(label, icon, withShortcut(label, shortcut), run)
    if (isActive) { b.setAttribute('aria-pressed', 'false'); pressed.push([b, isActive]) }
    bar.append(b)
    return b
  }

  add(gettext('Bold'), '<b>B</b>', `${MOD}B`, () => chain().toggleBold().run(), () => editor.isActive('bold'))
  add(gettext('Italic'), '<i>I</i>', `${MOD}I`, () => chain().toggleItalic().run(), () => editor.isActive('italic'))
  add(gettext('Strikethrough'), '<s>S</s>', `${MOD}${SHIFT}+S`, () => chain().toggleStrike().run(), () => editor.isActive('strike'))
  add(gettext('Link'), ICON.link, `${MOD}K`, () => onLink(), () => editor.isActive('link'))
  add(gettext('Quote'), '&ldquo;', `${MOD}${SHIFT}+B`, () => chain().toggleBlockquote().run(), () => editor.isActive('blockquote'))
  const codeShortcuts = interpolate(gettext('%(inline)s; code block %(block)s'), { inline: `${MOD}E`, block: `${MOD}Alt+C` })
  add(gettext('Code'), '&lt;/&gt;', codeShortcuts, () => {
    const { empty } = editor.state.selection
    if (editor.isActive('codeBlock') || (empty && !editor.isActive('code'))) chain().toggleCodeBlock().run()
    else chain().toggleCode().run()
  }, () => editor.isActive('code') || editor.isActive('codeBlock'))
  add(gettext('Bulleted list'), ICON.bulletList, `${MOD}${SHIFT}+8`, () => chain().toggleBulletList().run(), () => editor.isActive('bulletList'))
  add(gettext('Numbered list'), ICON.orderedList, `${MOD}${SHIFT}+7`, () => chain().toggleOrderedList().run(), () => editor.isActive('orderedList'))
  add(gettext('Heading'), 'H', `${MOD}Alt+2`, () => chain().toggleHeading({ level: 2 }).run(), () => editor.isActive('heading'))

  const emojiBtn = add(gettext('Emoji'), ICON.emoji, '', () => picker.toggle())
  emojiBtn.setAttribute('aria-haspopup', 'dialog')
  emojiBtn.setAttribute('aria-expanded', 'false')
  // Inserting keeps focus in the picker so several emoji can be picked; Escape returns to the button.
  const picker = emojiPicker(emojiBtn, e => editor.chain().insertContent(e).run())

  if (canUpload) {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = 'image/*'
    input.multiple = true
    input.hidden = true
    input.addEventListener('change', () => { onImageFiles(Array.from(input.files || [])); input.value = '' })
    add(gettext('Upload image'), ICON.image, '', () => input.click())
    add(gettext('Insert image from URL'), ICON.imageUrl, '', () => onImageUrl())
    bar.append(input)
  }
  bar.append(picker.el)

  const tools = () => Array.from(bar.querySelectorAll(':scope > .fm-tool'))
  tools()[0].tabIndex = 0
  bar.addEventListener('keydown', e => {
    const list = tools()
    const i = list.indexOf(document.activeElement)
    if (i < 0) return
    let j = null
    if (e.key === nextKey(bar)) j = (i + 1) % list.length
    else if (e.key === previousKey(bar)) j = (i - 1 + list.length) % list.length
    else if (e.key === 'Home') j = 0
    else if (e.key === 'End') j = list.length - 1
    if (j === null) return
    e.preventDefault()
    list[i].tabIndex = -1
    list[j].tabIndex = 0
    list[j].focus()
  })

  const refresh = () => pressed.forEach(([b, f]) => b.setAttribute('aria-pressed', String(!!f())))
  editor.on('transaction', refresh)
  refresh()
  return bar
}

function emojiPicker(anchor, insert) {
  const el = document.createElement('div')
  el.className = 'fm-emoji-picker'
  el.setAttribute('role', 'dialog')
  el.setAttribute('aria-label', gettext('Emoji'))
  el.hidden = true
  const grid = document.createElement('div')
  grid.className = 'fm-emoji-grid'
  const COLS = 8
  EMOJI.forEach((e, i) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.className = 'fm-emoji'
    b.textContent = e
    b.setAttribute('aria-label', e)
    b.tabIndex = i === 0 ? 0 : -1
    b.addEventListener('mousedown', ev => ev.preventDefault())
    b.addEventListener('click', () => { insert(e) })
    grid.append(b)
  })
  el.append(grid)

  const buttons = () => Array.from(grid.children)
  const close = (refocus) => {
    el.hidden = true
    anchor.setAttribute('aria-expanded', 'false')
    document.removeEventListener('mousedown', outside, true)
    if (refocus) anchor.focus()
  }
  const outside = e => { if (!el.contains(e.target) && e.target !== anchor) close(false) }
  const open = () => {
    el.hidden = false
    anchor.setAttribute('aria-expanded', 'true')
    document.addEventListener('mousedown', outside, true)
    const first = buttons().find(b => b.tabIndex === 0) || buttons()[0]
    first.focus()
  }
  el.addEventListener('keydown', e => {
    const list = buttons()
    const i = list.indexOf(document.activeElement)
    let j = null
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); return }
    if (i < 0) return
    if (e.key === nextKey(el)) j = Math.min(i + 1, list.length - 1)
    else if (e.key === previousKey(el)) j = Math.max(i - 1, 0)
    else if (e.key === 'ArrowDown') j = Math.min(i + COLS, list.length - 1)
    else if (e.key === 'ArrowUp') j = Math.max(i - COLS, 0)
    else if (e.key === 'Home') j = 0
    else if (e.key === 'End') j = list.length - 1
    if (j === null) return
    e.preventDefault()
    e.stopPropagation()
    list[i].tabIndex = -1
    list[j].tabIndex = 0
    list[j].focus()
  })
  return { el, toggle: () => (el.hidden ? open() : close(true)), close }
}
