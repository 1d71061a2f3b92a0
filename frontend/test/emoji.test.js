import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { countEmoji } from '../src/emoji.js'

const cases = JSON.parse(readFileSync(new URL('../../tests/data/emoji_counts.json', import.meta.url), 'utf8'))

test('emoji_counts.json has the shared cases', () => {
  assert.ok(cases.length >= 20)
})

for (const c of cases) {
  test(`countEmoji: ${c.why}`, () => {
    assert.equal(countEmoji(c.text), c.count, JSON.stringify(c.text))
  })
}

test('the fast counter agrees with segmenting the whole text', async () => {
  const { countEmojiSlow } = await import('../src/emoji.js')
  const parts = ['a', '1', '#', ' ', ':', 'smile', '\uFE0F', '\u20E3', '😀', '👍', '🏽', '\u200D', '👩', '🇫', '🇷', '©', '❤', 'é', '\u0301', '\r\n', '\n', '中', ':+1:', '\u0600', 'ก', 'ำ']
  let seed = 42
  const rand = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  for (let i = 0; i < 3000; i++) {
    let s = ''
    for (let j = rand(14); j >= 0; j--) s += parts[rand(parts.length)]
    assert.equal(countEmoji(s), countEmojiSlow(s), JSON.stringify(s))
  }
  for (const c of cases) assert.equal(countEmojiSlow(c.text), c.count)
})
