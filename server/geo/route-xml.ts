// XML text helpers for the GPX and KML exports.

// Characters XML 1.0 does not allow at all (C0 controls other than tab/newline/return, lone
// surrogates, U+FFFE/U+FFFF); they are dropped rather than escaped.
// eslint-disable-next-line no-control-regex -- matching those control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** `<tag>escaped text</tag>`, or nothing when the text is empty or missing. */
export function xmlElement(tag: string, text: string | null | undefined, indent = ''): string {
  return text ? `${indent}<${tag}>${escapeXml(text)}</${tag}>\n` : '';
}

/** A coordinate with 7 decimals (about 1 cm), trailing zeros kept for a steady layout. */
export function formatDegrees(value: number): string {
  return value.toFixed(7);
}
