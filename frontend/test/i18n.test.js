// The editor's words: the page's catalogue when there is one (window.django, as Django's
// JavaScript catalogue defines it), else the English written in the calls, never a blank.
import './dom.js'
import { test, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { gettext, ngettext, interpolate } from '../src/i18n.js'
import { mountComposer, MESSAGES } from '../src/composer.js'

// The shape of Django's catalogue (django/views/templates/i18n_catalog.js): a translation,
// or the msgid itself when the catalogue has none.
function installCatalogue(catalog) {
  globalThis.django = {
    gettext: msgid => { const v = catalog[msgid]; return v === undefined ? msgid : (typeof v === 'string' ? v : v[0]) },
    ngettext: (singular, plural, count) => {
      const v = catalog[singular]
      return v === undefined ? (count === 1 ? singular : plural) : v[count === 1 ? 0 : 1]
    },
  }
}

afterEach(() => { delete globalThis.django; document.body.innerHTML = '' })

test('without a catalogue: the English of the call, singular and plural', () => {
  assert.equal(gettext('Bold'), 'Bold')
  assert.equal(ngettext('%(count)s post', '%(count)s posts', 1), '%(count)s post')
  assert.equal(MESSAGES.emojiLimit(75), 'Only 75 emoji are allowed.')
  assert.equal(MESSAGES.altText('cat.png'), 'Describe “cat.png” for people who cannot see it (alt text):')
})

test('with a catalogue: its words, looked up when shown, and English where it has none', () => {
  installCatalogue({
    'Pasted as rich text.': 'Als formatierter Text eingefügt.',
    'Only %(count)s emoji is allowed.': ['Nur %(count)s Emoji ist erlaubt.', 'Nur %(count)s Emojis sind erlaubt.'],
    'Clear editor': '', // an empty translation never blanks a button
  })
  assert.equal(MESSAGES.richPasted, 'Als formatierter Text eingefügt.')
  assert.equal(MESSAGES.emojiLimit(3), 'Nur 3 Emojis sind erlaubt.')
  assert.equal(MESSAGES.clearEditor, 'Clear editor')
  assert.equal(MESSAGES.uploadFailed, 'The image could not be uploaded.')
})

test('the toolbar is built in the catalogue\'s words', () => {
  installCatalogue({ Bold: 'Fett', Ctrl: 'Strg', Formatting: 'Formatierung' })
  document.body.innerHTML = '<form data-composer data-emoji-max="3"><textarea name="body"></textarea></form>'
  const composer = mountComposer(document.querySelector('form'), { saveInterval: 60_000 })
  try {
    const bar = document.querySelector('[role=toolbar]')
    assert.equal(bar.getAttribute('aria-label'), 'Formatierung')
    const bold = bar.querySelector('.fm-tool')
    assert.equal(bold.getAttribute('aria-label'), 'Fett')
    assert.match(bold.title, /^Fett \((Strg\+|⌘)B\)$/)
  } finally {
    composer.destroy()
  }
})

test('interpolate fills named placeholders and leaves unknown ones', () => {
  assert.equal(interpolate('%(count)s new replies: show', { count: '100+' }), '100+ new replies: show')
  assert.equal(interpolate('%(a)s and %(b)s', { a: 1 }), '1 and %(b)s')
})
