// @name autocomplete: typing "@" and a letter or more lists matching members (the site's
// members-lookup endpoint); arrows move, Enter or Tab picks, Escape closes. Picking writes
// "@username " as plain text: the server turns it into a link to the profile when the post is
// saved (composer/mentions.py), so Markdown, drafts and the no-JavaScript textarea all agree.
//
// ARIA: the editor (role=textbox) is the popup's owner: aria-autocomplete=list, aria-controls
// names the listbox, aria-activedescendant the highlighted option, and a polite live region
// says how many members match. Focus stays in the editor throughout.
import { Extension } from '@tiptap/core'
import { PluginKey } from '@tiptap/pm/state'
import Suggestion from '@tiptap/suggestion'
import { gettext, ngettext, interpolate } from './i18n.js'

export const MENTION_MESSAGES = {
  get listLabel() { return gettext('Members to mention') },
  found: n => interpolate(ngettext(
    '%(count)s member found. Up and down arrows to choose, Enter to mention.',
    '%(count)s members found. Up and down arrows to choose, Enter to mention.', n), { count: n }),
  get none() { return gettext('No member found.') },
}

let listboxes = 0

/** The members whose names start with `query`, from the lookup endpoint ([] on any failure). */
export async function lookUpMembers(url, query, signal) {
  if (!url || !query) return []
  try {
    const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal,
    })
    if (!response.ok) return []
    const data = await response.json()
    return Array.isArray(data.members) ? data.members : []
  } catch (e) {
    return [] // aborted by the next keystroke, offline, rate limited
  }
}

/** The listbox and its keyboard handling, one per open suggestion. */
export function mentionListRenderer({ editorElement, liveRegion }) {
  const id = `fm-mentions-${++listboxes}`
  let list = null
  let unmount = null
  let items = []
  let active = 0
  let command = null

  const optionId = i => `${id}-option-${i}`

  function draw() {
    list.replaceChildren()
    items.forEach((member, i) => {
      const option = document.createElement('li')
      option.id = optionId(i)
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', i === active ? 'true' : 'false')
      option.className = 'fm-mention-option'
      const avatar = document.createElement(member.avatar ? 'img' : 'span')
      avatar.className = `fm-mention-avatar${member.avatar ? '' : ` ${member.colour || ''}`}`
      avatar.setAttribute('aria-hidden', 'true')
      if (member.avatar) { avatar.src = member.avatar; avatar.alt = ''; avatar.width = 24; avatar.height = 24 }
      else avatar.textContent = member.initial || '?'
      const name = document.createElement('span')
      name.className = 'fm-mention-name'
      name.textContent = member.name
      option.append(avatar, name)
      if (member.name !== member.username) {
        const handle = document.createElement('span')
        handle.className = 'fm-mention-handle'
        handle.textContent = `@${member.username}`
        option.append(handle)
      }
      // mousedown, not click: the editor keeps the focus (and the selection) meanwhile.
      option.addEventListener('mousedown', event => { event.preventDefault(); pick(i) })
      list.append(option)
    })
    list.hidden = items.length === 0
    if (items.length) editorElement.setAttribute('aria-activedescendant', optionId(active))
    else editorElement.removeAttribute('aria-activedescendant')
  }

  function announce() {
    if (liveRegion) liveRegion.textContent = items.length ? MENTION_MESSAGES.found(items.length) : MENTION_MESSAGES.none
  }

  function pick(i) {
    const member = items[i]
    if (member && command) command(member)
  }

  function update(props) {
    items = props.items || []
    command = props.command
    active = Math.min(active, Math.max(0, items.length - 1))
    draw()
    announce()
  }

  return {
    onStart(props) {
      list = document.createElement('ul')
      list.id = id
      list.className = 'fm-mentions'
      list.setAttribute('role', 'listbox')
      list.setAttribute('aria-label', MENTION_MESSAGES.listLabel)
      editorElement.setAttribute('aria-controls', id)
      active = 0
      update(props)
      unmount = props.mount ? props.mount(list) : (document.body.append(list), () => list.remove())
    },
    onUpdate(props) {
      if (props.query !== undefined && props.items !== items) active = 0
      update(props)
    },
    onKeyDown({ event }) {
      if (event.key === 'Escape' || event.key === 'Esc') return true // the plugin closes it
      if (!items.length) return false
      if (event.key === 'ArrowDown') { active = (active + 1) % items.length; draw(); return true }
      if (event.key === 'ArrowUp') { active = (active - 1 + items.length) % items.length; draw(); return true }
      if (event.key === 'Enter' || event.key === 'Tab') { pick(active); return true }
      return false
    },
    onExit() {
      editorElement.removeAttribute('aria-activedescendant')
      editorElement.removeAttribute('aria-controls')
      if (liveRegion) liveRegion.textContent = ''
      if (unmount) unmount()
      unmount = null
      list = null
      items = []
    },
  }
}

/** The editor extension: `lookupUrl` is the members-lookup endpoint; none, no autocomplete. */
export const MentionSuggestion = Extension.create({
  name: 'mentionSuggestion',

  addOptions() {
    return { lookupUrl: '', liveRegion: null }
  },

  addProseMirrorPlugins() {
    if (!this.options.lookupUrl) return []
    const { lookupUrl, liveRegion } = this.options
    const editor = this.editor
    return [
      Suggestion({
        editor,
        pluginKey: new PluginKey('mentionSuggestion'),
        char: '@',
        allowedPrefixes: [' ', '(', '"', '\u00a0'],
        minQueryLength: 1,
        debounce: 120,
        decorationClass: 'fm-mention-query',
        items: ({ query, signal }) => lookUpMembers(lookupUrl, query, signal),
        command: ({ editor: ed, range, props: member }) => {
          ed.chain().focus().insertContentAt(range, `@${member.username} `).run()
        },
        render: () => mentionListRenderer({ editorElement: editor.view.dom, liveRegion }),
      }),
    ]
  },
})
