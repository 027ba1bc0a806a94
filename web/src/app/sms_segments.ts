// SMS length as the server measures it (src/templates/gsm7.cc, 3GPP TS
// 23.038): every character in the GSM-7 default alphabet → GSM-7, 160 septets
// in one SMS or parts of 153; the extension table (^ { } \ [ ~ ] | € and form
// feed) takes two septets. One character outside it (á, í, ó, ú, `, an emoji)
// makes the whole message UCS-2: 70 UTF-16 units in one SMS or parts of 67,
// an emoji taking two units.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
  encoding: SmsEncoding;
  units: number; // septets (GSM-7) or UTF-16 code units (UCS-2)
  segments: number; // 0 for an empty text
  perSegment: number; // what one part carries with this length (160/153 or 70/67)
  left: number; // units left before the next segment starts
}

const BASIC_NON_ASCII = new Set([...'£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\r']);
const EXTENSION = new Set([...'^{}\\[~]|€\f']);

// Septets one character takes: 1, 2 (extension table) or 0 (not GSM-7).
export function gsm7Septets(char: string): number {
  if (EXTENSION.has(char)) return 2;
  if (char === '`') return 0;
  if (char === '\n') return 1;
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return 1;
  return BASIC_NON_ASCII.has(char) ? 1 : 0;
}

export function measureSms(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    const cost = gsm7Septets(char);
    if (cost === 0) {
      gsm = false;
      break;
    }
    septets += cost;
  }
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const units = gsm ? septets : text.length; // a JS string's length is in UTF-16 units
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  const perSegment = segments <= 1 ? single : multi;
  const left = segments <= 1 ? single - units : segments * multi - units;
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments, perSegment, left };
}

// The first characters that force UCS-2, for telling the writer which to
// replace (unique, in order of appearance).
export function nonGsmCharacters(text: string, max = 8): string[] {
  const out: string[] = [];
  for (const char of text) {
    if (gsm7Septets(char) === 0 && !out.includes(char)) {
      out.push(char);
      if (out.length >= max) break;
    }
  }
  return out;
}
