import './dom.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mentionListRenderer, MENTION_MESSAGES } from '../src/mentions.js'

const MEMBERS = [
  { username: 'fredrik', name: 'fredrik', avatar: null, initial: 'F', colour: 'avatar-colour-1' },
  { username: 'freya', name: 'Freya Holm', avatar: null, initial: 'F', colour: 'avatar-colour-2' },
]

function open(items = MEMBERS) {
  document.body.innerHTML = '<div role="textbox" id="editor"></div><p id="live"></p>'
  const editorElement = document.getElementById('editor')
  const liveRegion = document.getElementById('live')
  const picked = []
  const renderer = mentionListRenderer({ editorElement, liveRegion })
  renderer.onStart({ items, command: member => picked.push(member.username), query: 'fre' })
  const key = k => renderer.onKeyDown({ event: new KeyboardEvent('keydown', { key: k }) })
  return { renderer, editorElement, liveRegion, picked, key, list: () => document.querySelector('[role=listbox]') }
}

test('the list is a labelled listbox the editor points at, with the first member highlighted', () => {
  const { editorElement, liveRegion, list } = open()
  const box = list()
  assert.equal(box.getAttribute('aria-label'), MENTION_MESSAGES.listLabel)
  assert.equal(editorElement.getAttribute('aria-controls'), box.id)
  const options = box.querySelectorAll('[role=option]')
  assert.equal(options.length, 2)
  assert.equal(options[0].getAttribute('aria-selected'), 'true')
  assert.equal(editorElement.getAttribute('aria-activedescendant'), options[0].id)
  assert.match(options[1].textContent, /Freya Holm@freya/)
  assert.equal(liveRegion.textContent, MENTION_MESSAGES.found(2))
})

test('arrows move the highlight round the list; Enter and Tab pick it', () => {
  const { key, picked, editorElement, list } = open()
  assert.equal(key('ArrowDown'), true)
  assert.equal(editorElement.getAttribute('aria-activedescendant'), list().querySelectorAll('[role=option]')[1].id)
  assert.equal(key('ArrowDown'), true) // wraps to the first
  assert.equal(key('ArrowUp'), true) // and back to the last
  assert.equal(key('Enter'), true)
  assert.equal(key('Tab'), true)
  assert.deepEqual(picked, ['freya', 'freya'])
  assert.equal(key('a'), false) // typing goes on into the editor
})

test('nobody found: no list, Enter is the editor’s, and it is said', () => {
  const { key, list, liveRegion, editorElement } = open([])
  assert.equal(list().hidden, true)
  assert.equal(key('Enter'), false)
  assert.equal(editorElement.hasAttribute('aria-activedescendant'), false)
  assert.equal(liveRegion.textContent, MENTION_MESSAGES.none)
})

test('closing removes the list and the editor’s references to it', () => {
  const { renderer, editorElement, list, liveRegion } = open()
  renderer.onExit()
  assert.equal(list(), null)
  assert.equal(editorElement.hasAttribute('aria-controls'), false)
  assert.equal(editorElement.hasAttribute('aria-activedescendant'), false)
  assert.equal(liveRegion.textContent, '')
})
