/**
 * The text of an input file as a person's tools wrote it: UTF-8 with or without a byte order mark, or
 * UTF-16 with one (what Windows PowerShell 5.1's `>` writes).
 */

/** Decodes the bytes by their byte order mark: UTF-16 little or big endian, else UTF-8 (a UTF-8 mark is dropped). */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xFF && bytes[1] === 0xFE) {
		return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	}
	if (bytes[0] === 0xFE && bytes[1] === 0xFF) {
		return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	}
	const text = new TextDecoder('utf-8').decode(bytes);
	return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
