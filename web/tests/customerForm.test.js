import { describe, expect, it } from 'vitest';
import { createBody, emptyDraft, patchBody, sectionOf, toDraft } from '../src/lib/customerForm.js';

const file = {
	id: 7,
	name: '李建萍',
	kind: 'person',
	source: 'external',
	lifecycle: 'loyal',
	chain_role: 'terminal',
	value_class: 'ordinary',
	industry: '政府机关',
	company: '苏州市交通运输局',
	address: '',
	phone: '+8618699775301',
	email: '',
	wechat: '',
	birthday: '1963-12-27',
	standing: '',
	hobbies: '',
	memorable: '',
	notes: '',
	contacts: [{ name: '王芳', role: '秘书', phone: '', email: '', wechat: '' }],
	dates: [],
	preferences: { 联系方式: '微信' },
	dnd: [{ days: [1, 2, 3], start: '12:00', end: '14:00', note: '午休' }],
	tags: null,
	owner_id: null,
	owner: null,
	version: 3,
};

describe('customer form', () => {
	it('maps API error fields to sections', () => {
		expect(sectionOf('phone')).toBe('basic');
		expect(sectionOf('contacts[0].phone')).toBe('contacts');
		expect(sectionOf('preferences.联系方式')).toBe('preferences');
		expect(sectionOf('dnd[1].end')).toBe('dnd');
		expect(sectionOf('owner_id')).toBe('classification');
		expect(sectionOf('version')).toBe(null);
	});
	it('an untouched draft patches nothing', () => {
		const d = toDraft(file);
		for (const f of [['name'], ['contacts'], ['preferences'], ['dnd'], ['tags'], ['owner_id']]) expect(patchBody(d, file, f)).toBe(null);
	});
	it('sends only what changed, trimmed', () => {
		const d = toDraft(file);
		d.hobbies = ' 钓鱼 ';
		d.tags = ['VIP', ' VIP ', ''];
		d.preferences.push({ name: '称呼', text: '李老师' });
		expect(patchBody(d, file, ['name', 'hobbies', 'phone'])).toEqual({ hobbies: '钓鱼' });
		expect(patchBody(d, file, ['tags'])).toEqual({ tags: ['VIP'] });
		expect(patchBody(d, file, ['preferences'])).toEqual({ preferences: { 联系方式: '微信', 称呼: '李老师' } });
	});
	it('drops empty contact rows', () => {
		const d = toDraft(file);
		d.contacts.push({ name: '', role: '', phone: '', email: '', wechat: '' });
		expect(patchBody(d, file, ['contacts'])).toBe(null);
	});
	it('a new customer sends no empty optional values', () => {
		const d = emptyDraft();
		d.name = ' 新客户 ';
		d.phone = '13800138000';
		expect(createBody(d, { withOwner: false })).toEqual({
			name: '新客户',
			kind: 'person',
			phone: '13800138000',
			source: 'external',
			lifecycle: 'potential',
			chain_role: 'terminal',
			value_class: 'ordinary',
		});
	});
});
