import { describe, expect, it } from 'vitest';
import { actions, apiMapping, isFinal, isRunning, mappingProblems, percent, sampleOf, stepOf } from '../src/modules/data/importFlow.js';

const FIELDS = [
	{ name: 'name', required: true },
	{ name: 'phone', required: false },
	{ name: 'company', required: false },
];

describe('import wizard steps', () => {
	it('maps each status to its step', () => {
		expect(stepOf({ status: 'parsing' })).toBe(0);
		expect(stepOf({ status: 'uploaded', headers: ['a'] })).toBe(1);
		expect(stepOf({ status: 'checking' })).toBe(2);
		expect(stepOf({ status: 'checked' })).toBe(2);
		expect(stepOf({ status: 'importing' })).toBe(3);
		expect(stepOf({ status: 'done' })).toBe(3);
	});
	it('shows a failed or cancelled job at the step it reached', () => {
		expect(stepOf({ status: 'failed', headers: [] })).toBe(0);
		expect(stepOf({ status: 'cancelled', headers: ['a'], summary: { ok: 0, bad: 0 } })).toBe(1);
		expect(stepOf({ status: 'cancelled', headers: ['a'], summary: { ok: 3, bad: 1 } })).toBe(2);
		expect(stepOf({ status: 'failed', headers: ['a'], summary: { ok: 3 }, result: { inserted: 2 } })).toBe(3);
	});
	it('knows what runs and what is over', () => {
		expect(isRunning({ status: 'checking' })).toBe(true);
		expect(isRunning({ status: 'checked' })).toBe(false);
		expect(isFinal({ status: 'done' })).toBe(true);
		expect(isFinal({ status: 'uploaded' })).toBe(false);
	});
	it('offers only the legal actions', () => {
		expect(actions({ status: 'uploaded' })).toEqual({ check: true, commit: false, cancel: true, remap: false });
		expect(actions({ status: 'checked', summary: { ok: 0 } }).commit).toBe(false);
		expect(actions({ status: 'checked', summary: { ok: 5 } })).toEqual({ check: true, commit: true, cancel: true, remap: true });
		expect(actions({ status: 'done' })).toEqual({ check: false, commit: false, cancel: false, remap: false });
	});
	it('computes progress within 0..100', () => {
		expect(percent({ progress: { done: 1, total: 3 } })).toBe(33);
		expect(percent({ progress: { done: 5, total: 3 } })).toBe(100);
		expect(percent({ progress: { done: 0, total: 0 } })).toBe(null);
		expect(percent({})).toBe(null);
	});
});

describe('column mapping', () => {
	it('requires the required fields', () => {
		expect(mappingProblems(['phone', null], FIELDS)).toEqual([{ kind: 'missing', field: 'name' }]);
		expect(mappingProblems(['name', 'phone'], FIELDS)).toEqual([]);
	});
	it('refuses a field mapped twice', () => {
		expect(mappingProblems(['name', 'phone', 'phone'], FIELDS)).toEqual([{ kind: 'twice', field: 'phone', columns: [1, 2] }]);
	});
	it('sends one entry per column', () => {
		expect(apiMapping(['name', '', undefined], 4)).toEqual(['name', null, null, null]);
	});
	it('samples non-empty values of a column', () => {
		const job = { sample: [['张三', ''], ['李四', '138'], [' ', '139'], ['王五']] };
		expect(sampleOf(job, 0, 2)).toEqual(['张三', '李四']);
		expect(sampleOf(job, 1)).toEqual(['138', '139']);
		expect(sampleOf(null, 0)).toEqual([]);
	});
});

import { exportQuery, listExportQuery } from '../src/modules/data/exportQuery.js';

describe('export queries', () => {
	it('sends only the customer filters that are set', () => {
		expect(exportQuery('customers', { format: 'csv', lifecycle: 'loyal', tier: '', owner: 'me', q: ' 张 ' })).toEqual({ format: 'csv', lifecycle: 'loyal', owner: 'me', q: '张' });
	});
	it('turns the case period into created_from / created_to with the end day included', () => {
		const from = Date.UTC(2026, 0, 1);
		const to = Date.UTC(2026, 0, 31);
		expect(exportQuery('cases', { format: 'xlsx', type: 'complaint', open: 'all', period: [String(from), String(to)] })).toEqual({
			format: 'xlsx',
			type: 'complaint',
			created_from: String(from),
			created_to: String(to + 86400000),
		});
		expect(exportQuery('cases', { format: 'csv', open: '1', period: null })).toEqual({ format: 'csv', open: '1' });
	});
	it('exports the customer list with its filters', () => {
		expect(listExportQuery({ lifecycle: 'loyal', archived: '', tag: 'VIP' }, 'vcf')).toEqual({ format: 'vcf', lifecycle: 'loyal', tag: 'VIP' });
	});
});
