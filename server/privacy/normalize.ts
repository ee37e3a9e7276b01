/**
 * Text as a reader sees it, for the personal-data check (issue 9, item 6): a phone number or a
 * name disguised by full-width digits, separators, zero-width characters, a country prefix or
 * traditional characters reads the same to a person, so it must read the same to the check.
 *
 * Traditional → simplified uses opencc-js (the OpenCC tables, MIT/Apache-2.0, pure JS, no
 * binary): only its t2cn build is loaded (about 110 kB of character and phrase tables), which is
 * acceptable for the server and the cloud function, and it covers every character a name can use
 * rather than a hand-kept list of surnames.
 */
// The UMD build is the CommonJS entry of the package (its ESM build cannot be required here).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- opencc-js's CommonJS entry; its types cover the same API
const OpenCC = require('opencc-js/t2cn') as typeof import('opencc-js')

/** Traditional (OpenCC's standard forms and Taiwan's variants, e.g. 著 → 着) to mainland simplified. */
const fromTraditional = OpenCC.Converter({ from: 'tw', to: 'cn' })

/** Characters that draw nothing (Unicode's default-ignorables): zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks, variation selectors, Hangul fillers. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu

/** Anything a person may put between the characters of a name: spaces of every width, dots, dashes, stars. */
const NAME_JOINERS = /[\s·・•‧∙.\-_~*＊⋅'"`|/\\]+/g

/**
 * Character by character, memoised: a name is a few characters with no phrase around them, and
 * converting the same way in the text and in the roster keeps the two comparable. The memo holds
 * one entry per distinct character met (a few thousand in practice; capped).
 */
const memo = new Map<string, string>()
function simplified(ch: string): string {
  let out = memo.get(ch)
  if (out === undefined) {
    out = fromTraditional(ch)
    if (memo.size < 60_000) memo.set(ch, out)
  }
  return out
}

/**
 * NFKC (full-width digits and letters, the ideographic space and compatibility forms become plain
 * ones), invisible characters removed, traditional characters made simplified. Line breaks stay.
 */
export function readable(text: string): string {
  const t = text.normalize('NFKC').replace(INVISIBLE, '')
  // Most text is mostly ASCII or already simplified; only CJK ideographs are looked up.
  return t.replace(/[\u3400-\u9fff\uf900-\ufaff]|[\ud840-\ud87f][\udc00-\udfff]/g, simplified)
}

/** A name or a text with whatever may stand between the characters of a name taken out. */
export function nameView(readableText: string): string {
  return readableText.replace(NAME_JOINERS, '')
}

/** A roster name as the check compares it (the same steps as the text). */
export function normalizeName(name: string): string {
  return nameView(readable(name))
}
