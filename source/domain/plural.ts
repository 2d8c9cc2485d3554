/** Counted nouns in messages, in one place so that a count of one is never "1 pods". */

/** `1 pod`, `2 pods`; `pluralNoun` for a noun that does not just take an s (`1 address`, `3 addresses`). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/**
 * A whole number with its digits grouped in threes (`65,536`), as `toLocaleString('en-US')` writes it,
 * without loading the locale's number format: its first use costs several milliseconds of a start.
 */
export function groupDigits(count: number): string {
	return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
