/**
 * Lowercase hex SHA-256 of the UTF-8 bytes of `text`: the hash a transcript signature is bound to.
 * Uses WebCrypto (available in secure contexts, which the kiosk app is). Rejects when it is missing.
 */
export async function sha256Hex(text: string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available here');
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
