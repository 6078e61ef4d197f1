import { describe, expect, it } from 'vitest';
import { apiListQuery, buildListQuery, parseListQuery } from '../src/lib/listQuery.js';

describe('customer list URL state', () => {
	it('keeps known, non-empty filters, the limit and the cursor', () => {
		const s = parseListQuery({ q: ' 李 ', lifecycle: 'loyal', owner: 'me', tier: '', junk: 'x', limit: '100', cursor: 'c7cf' });
		expect(s).toEqual({ filters: { q: '李', lifecycle: 'loyal', owner: 'me' }, limit: 100, cursor: 'c7cf' });
	});
	it('falls back to the default page size and drops archived other than 1', () => {
		expect(parseListQuery({ limit: '7', archived: '0' })).toEqual({ filters: {}, limit: 50, cursor: '' });
		expect(parseListQuery({ archived: '1' }).filters).toEqual({ archived: '1' });
	});
	it('round-trips through the URL', () => {
		const s = { filters: { tag: 'VIP', kind: 'person' }, limit: 20, cursor: 'ab' };
		const q = buildListQuery(s);
		expect(q).toEqual({ kind: 'person', tag: 'VIP', limit: '20', cursor: 'ab' });
		expect(parseListQuery(q)).toEqual(s);
		expect(buildListQuery({ filters: {}, limit: 50 })).toEqual({});
	});
	it('makes the API query', () => {
		expect(apiListQuery({ filters: { q: 'x' }, limit: 50, cursor: '' })).toEqual({ q: 'x', limit: 50, cursor: undefined });
	});
});
