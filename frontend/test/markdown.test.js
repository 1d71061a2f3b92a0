import './dom.js'
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { Editor } from '@tiptap/core'
import { composerExtensions } from '../src/extensions.js'

const editors = []
function editorFor(md) {
  const ed = new Editor({ extensions: composerExtensions(), content: md, contentType: 'markdown' })
  editors.push(ed)
  return ed
}
after(() => editors.forEach(e => e.destroy()))

const roundTrips = {
  paragraphs: 'First paragraph.\n\nSecond paragraph.',
  marks: 'Some **bold**, *italic* and ~~struck~~ text.',
  link: 'Read [the report](https://example.com/report) now.',
  headings: '# Title\n\n## Section\n\nBody.',
  'bullet list': '- one\n- two\n- three',
  'ordered list': '1. first\n2. second',
  quote: '> Quoted words.',
  'code block': '```python\nprint("hi")\n```',
  'inline code': 'Run `make test` first.',
  image: '![A chart](/media/attachments/1/chart.webp)',
  embed: 'https://example.com/a',
  'plain link to a URL': '[https://example.com/a](https://example.com/a)',
  'embed between paragraphs': 'Look at this:\n\nhttps://example.com/a?b=1\n\nThoughts?',
  emoji: 'Thanks 👍 :tada:',
}

for (const [name, md] of Object.entries(roundTrips)) {
  test(`markdown round trip: ${name}`, () => {
    assert.equal(editorFor(md).getMarkdown().trim(), md)
  })
}

test('a bare URL paragraph parses to an embed node', () => {
  const doc = editorFor('Before\n\nhttps://example.com/a\n\nAfter').getJSON()
  assert.equal(doc.content[1].type, 'embed')
  assert.equal(doc.content[1].attrs.url, 'https://example.com/a')
})

test('[url](url) stays a link in a paragraph', () => {
  const doc = editorFor('[https://example.com/a](https://example.com/a)').getJSON()
  assert.equal(doc.content[0].type, 'paragraph')
  assert.equal(doc.content[0].content[0].marks[0].type, 'link')
})

test('a URL inside a sentence is not an embed', () => {
  const doc = editorFor('See https://example.com/a for more').getJSON()
  assert.equal(doc.content[0].type, 'paragraph')
})

test('nodes built in the editor serialize as the server expects', () => {
  const ed = editorFor('')
  ed.commands.setContent({
    type: 'doc',
    content: [
      { type: 'embed', attrs: { url: 'https://example.com/a' } },
      { type: 'paragraph', content: [{ type: 'text', text: 'https://example.com/a', marks: [{ type: 'link', attrs: { href: 'https://example.com/a' } }] }] },
      { type: 'image', attrs: { src: '/media/x.webp', alt: 'x' } },
    ],
  })
  assert.equal(ed.getMarkdown().trim(), 'https://example.com/a\n\n[https://example.com/a](https://example.com/a)\n\n![x](/media/x.webp)')
})
