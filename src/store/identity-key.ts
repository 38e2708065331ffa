// The form identities are compared in (userName, email, group name): Unicode NFC and lower case, so
// "José" typed precomposed (NFC) and decomposed (NFD), or in another case, is one identity.

const ASCII = /^[\x00-\x7f]*$/;

/** The comparison key of an identity string: NFC-normalised and case-folded (UAX #15, Unicode §5.18). */
export function identityKey(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  // Lower-casing can leave a sequence that is no longer composed: normalise on both sides.
  return s.normalize('NFC').toLowerCase().normalize('NFC');
}
