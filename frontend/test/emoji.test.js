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
