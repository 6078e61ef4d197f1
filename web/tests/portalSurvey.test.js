// The portal's survey form logic (web/src/modules/portal/survey.js).
import { describe, expect, it } from 'vitest';
import { answerField, emptyAnswers, firstMissing, optionText, questionText, scaleOf, toPayload } from '../src/modules/portal/survey.js';

const Q = [
	{ key: 'csat', kind: 'csat', text_zh: '满意吗？', text_en: 'Happy?', required: true },
	{ key: 'nps', kind: 'nps', text_zh: '推荐吗？' },
	{ key: 'effort', kind: 'effort', text_zh: '费力吗？' },
	{ key: 'where', kind: 'single', text_zh: '哪里？', options: [{ key: 'a', zh: '甲', en: 'A' }, { key: 'b', zh: '乙' }] },
	{ key: 'liked', kind: 'multiple', text_zh: '喜欢？', required: true, options: [{ key: 'x', zh: '快' }, { key: 'y', zh: '好' }] },
	{ key: 'note', kind: 'text', text_zh: '意见' },
];

describe('portal survey form', () => {
	it('offers the scale of each scored kind', () => {
		expect(scaleOf('csat')).toEqual([1, 2, 3, 4, 5]);
		expect(scaleOf('nps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(scaleOf('effort')).toHaveLength(7);
		expect(scaleOf('text')).toEqual([]);
	});

	it('starts empty and names the first required question left', () => {
		const a = emptyAnswers(Q);
		expect(a).toEqual({ csat: null, nps: null, effort: null, where: null, liked: [], note: '' });
		expect(firstMissing(Q, a)).toBe('csat');
		a.csat = 1;
		expect(firstMissing(Q, a)).toBe('liked');
		a.liked = ['x'];
		expect(firstMissing(Q, a)).toBe(null);
	});

	it('sends only what was answered, 0 included, text trimmed', () => {
		const a = { ...emptyAnswers(Q), csat: 2, nps: 0, liked: ['x', 'y'], note: '  排队太久 ', where: null };
		expect(toPayload(Q, a)).toEqual({ csat: 2, nps: 0, liked: ['x', 'y'], note: '排队太久' });
		expect(toPayload(Q, { ...a, note: '   ' })).not.toHaveProperty('note');
	});

	it('reads the question an error names and the texts in the language shown', () => {
		expect(answerField('answers.csat')).toBe('csat');
		expect(answerField('token')).toBe(null);
		expect(answerField(null)).toBe(null);
		expect(questionText(Q[0], 'en')).toBe('Happy?');
		expect(questionText(Q[1], 'en')).toBe('推荐吗？');
		expect(questionText(Q[0], 'zh-CN')).toBe('满意吗？');
		expect(optionText(Q[3].options[0], 'en')).toBe('A');
		expect(optionText(Q[3].options[1], 'en')).toBe('乙');
	});
});
