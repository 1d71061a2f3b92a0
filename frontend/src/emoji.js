// The emoji rule shared with the Python server (folkmoot.composer). Keep identical:
// tests/data/emoji_counts.json is checked by both sides.
//
// A grapheme (Intl.Segmenter, granularity "grapheme") counts as one emoji when it
// contains a code point with Emoji_Presentation, or U+FE0F, or U+20E3 (keycap), or is
// a pair of Regional Indicators (a flag). Each shortcode such as ":smile:" or ":+1:"
// also counts one.

const PRESENTATION = /\p{Emoji_Presentation}/u
const REGIONAL_PAIR = /^[\u{1F1E6}-\u{1F1FF}]{2}$/u
export const SHORTCODE = /(?<![A-Za-z0-9_:]):[a-z0-9_+-]+:(?![A-Za-z0-9_:])/g

let segmenter = null

export function isEmojiGrapheme(g) {
  return PRESENTATION.test(g) || g.includes('\uFE0F') || g.includes('\u20E3') || REGIONAL_PAIR.test(g)
}

function countGraphemes(text) {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  let n = 0
  for (const { segment } of segmenter.segment(text)) {
    if (isEmojiGrapheme(segment)) n++
  }
  return n
}

// Every code point that can make a grapheme count is non-ASCII, and two ASCII characters
// always have a grapheme boundary between them (CR LF aside, which never counts). So only
// the runs of non-ASCII text, with one character of context on each side, need segmenting:
// same result as segmenting the whole text, much faster on long posts.
const NON_ASCII_RUN = /[^\x00-\x7F]+/g

export function countEmojiSlow(text) {
  if (!text) return 0
  const codes = text.match(SHORTCODE)
  return countGraphemes(text) + (codes ? codes.length : 0)
}

export function countEmoji(text) {
  if (!text) return 0
  let n = 0
  for (const m of text.matchAll(NON_ASCII_RUN)) {
    n += countGraphemes(text.slice(Math.max(0, m.index - 1), m.index + m[0].length + 1))
  }
  const codes = text.match(SHORTCODE)
  return n + (codes ? codes.length : 0)
}
