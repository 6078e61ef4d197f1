// Expectation sheets: what a customer expects of each attribute (level 1–5 and words), later
// what they perceived; the gap is perceived − expected (−2 or worse is an alert). Pure.

export const LEVELS = [1, 2, 3, 4, 5];

/** An empty attribute row of a new sheet. */
export const newItem = () => ({ attribute: '', expected_level: 4, expected_words: '', perceived_level: null, perceived_words: '' });

/**
 * The items as the API takes them, in the same order (its errors name items[i].field),
 * perceived only when given.
 */
export function itemsBody(items) {
	return (items || [])
		.map((x) => {
			const o = { attribute: (x.attribute || '').trim(), expected_level: x.expected_level, expected_words: (x.expected_words || '').trim() };
			if (x.perceived_level) {
				o.perceived_level = x.perceived_level;
				o.perceived_words = (x.perceived_words || '').trim();
			}
			return o;
		});
}

/** The gap of an item being edited (null until a perceived level is given). */
export const gapOf = (x) => (x.perceived_level ? x.perceived_level - x.expected_level : null);

/** How a gap reads: '+1', '0', '−2'; its tone: bad at −2 or worse, warn at −1. */
export const gapText = (g) => (g === null || g === undefined ? '—' : g > 0 ? `+${g}` : g < 0 ? `−${-g}` : '0');
export const gapTone = (g) => (g === null || g === undefined ? '' : g <= -2 ? 'bad' : g < 0 ? 'warn' : 'good');
