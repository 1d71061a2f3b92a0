// Editor schema: StarterKit + Link + Image + Embed, all with Markdown in and out.
import { Node, mergeAttributes } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import Paragraph from '@tiptap/extension-paragraph'
import Image from '@tiptap/extension-image'
import { Markdown } from '@tiptap/markdown'
import { gettext } from './i18n.js'

export const BARE_URL = /^https?:\/\/[^\s<>"'`]+$/i

export function isBareUrl(text) {
  return typeof text === 'string' && BARE_URL.test(text) && text.length <= 2000
}

/**
 * Embed: a bare http(s) URL alone in its paragraph. The server turns such a paragraph
 * into a link preview; in the editor it is an atom block shown as a card.
 * Markdown: the bare URL alone in its paragraph. A paragraph holding only `[url](url)`
 * stays an ordinary link.
 */
export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      url: {
        default: null,
        parseHTML: el => el.getAttribute('data-url') || el.querySelector('a')?.getAttribute('href'),
      },
    }
  },

  parseHTML() {
    return [{
      tag: 'div[data-embed]',
      getAttrs: el => isBareUrl(el.getAttribute('data-url') || el.querySelector('a')?.getAttribute('href') || '') ? null : false,
    }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const url = node.attrs.url
    return ['div', mergeAttributes(HTMLAttributes, { 'data-embed': '', 'data-url': url, class: 'fm-embed' }),
      ['span', { class: 'fm-embed-label' }, gettext('Embedded link')],
      ['a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, url]]
  },

  renderText({ node }) {
    return node.attrs.url
  },

  // Parsed from `paragraph` tokens by EmbedParagraph below.
  renderMarkdown: (node) => node.attrs?.url || '',

  addCommands() {
    return {
      setEmbed: url => ({ commands }) => commands.insertContent({ type: this.name, attrs: { url } }),
    }
  },
})

/** The bare URL of a Markdown paragraph token that holds nothing else, or null. */
export function embedUrlOfToken(token) {
  const tokens = token.tokens || []
  if (tokens.length !== 1) return null
  const t = tokens[0]
  // marked's GFM autolink of a bare URL: raw is the URL itself (not `[..](..)` or `<..>`).
  if (t.type === 'link' && t.raw === t.href && isBareUrl(t.href) && String(token.raw || '').trim() === t.href) return t.href
  return null
}

/** Paragraph whose Markdown parser turns a bare-URL paragraph into an embed. */
export const EmbedParagraph = Paragraph.extend({
  parseMarkdown(token, helpers) {
    const url = embedUrlOfToken(token)
    if (url) return { type: 'embed', attrs: { url } }
    return this.parent(token, helpers)
  },
})

export function composerExtensions({ placeholder } = {}) {
  return [
    StarterKit.configure({
      underline: false, // no Markdown for it
      paragraph: false, // EmbedParagraph instead
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        protocols: ['http', 'https', 'mailto'],
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
      heading: { levels: [1, 2, 3, 4] },
    }),
    EmbedParagraph,
    Image.configure({ inline: false, allowBase64: false }),
    Embed,
    Markdown.configure({ indentation: { style: 'space', size: 2 } }),
  ]
}
