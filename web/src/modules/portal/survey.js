// Pure logic of the portal's survey and opinion-card forms: the scales of the scored
// questions, which answers are still missing, and the body the API takes.

const SCALES = { csat: [1, 5], nps: [0, 10], effort: [1, 7] };

/** The values a scored question offers, low to high; [] for other kinds. */
export function scaleOf(kind) {
	const s = SCALES[kind];
	if (!s) return [];
	const out = [];
	for (let v = s[0]; v <= s[1]; v++) out.push(v);
	return out;
}

/** An empty answer per question: null for scores and single choices, [] for several, '' for text. */
export function emptyAnswers(questions) {
	const a = {};
	for (const q of questions || []) a[q.key] = q.kind === 'multiple' ? [] : q.kind === 'text' ? '' : null;
	return a;
}

function isEmpty(v) {
	return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The key of the first required question without an answer, or null. */
export function firstMissing(questions, answers) {
	for (const q of questions || []) if (q.required && isEmpty(answers[q.key])) return q.key;
	return null;
}

/** The answers as POST /api/portal/... takes them: unanswered ones left out, text trimmed. */
export function toPayload(questions, answers) {
	const out = {};
	for (const q of questions || []) {
		let v = answers[q.key];
		if (typeof v === 'string') v = v.trim();
		if (!isEmpty(v)) out[q.key] = v;
	}
	return out;
}

/** The question key an API error names ("answers.csat" → "csat"), or null. */
export function answerField(field) {
	return typeof field === 'string' && field.startsWith('answers.') ? field.slice(8) : null;
}

/** The question's text in the language shown (English falls back to Chinese). */
export function questionText(q, lang) {
	return lang === 'en' && q.text_en ? q.text_en : q.text_zh;
}

/** An option's label in the language shown. */
export function optionText(o, lang) {
	return lang === 'en' && o.en ? o.en : o.zh;
}
