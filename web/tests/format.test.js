import { describe, expect, it } from 'vitest';
import { money, yuanToFen, dateTime, phone, dayGroup, daysLabel } from '../src/lib/format.js';

describe('format', () => {
	it('money in fen → ¥1,234.56', () => {
		expect(money(123456)).toBe('¥1,234.56');
		expect(money(0)).toBe('¥0.00');
		expect(money(5)).toBe('¥0.05');
		expect(money(100000000)).toBe('¥1,000,000.00');
		expect(money(-1340)).toBe('-¥13.40');
		expect(money(null)).toBe('');
	});
	it('yuan as typed → fen', () => {
		expect(yuanToFen('1234.56')).toBe(123456);
		expect(yuanToFen('1,234.5')).toBe(123450);
		expect(yuanToFen('¥ 12')).toBe(1200);
		expect(yuanToFen('0.07')).toBe(7);
		expect(yuanToFen('1.234')).toBe(null);
		expect(yuanToFen('abc')).toBe(null);
		expect(yuanToFen('')).toBe(null);
	});
	it('times in local time', () => {
		const ms = new Date(2025, 8, 16, 14, 3).getTime();
		expect(dateTime(ms)).toBe('2025-09-16 14:03');
		expect(dateTime(null)).toBe('');
	});
	it('phones', () => {
		expect(phone('+8618699775301')).toBe('+86 186 9977 5301');
		expect(phone('+86 138****5678')).toBe('+86 138****5678');
		expect(phone('+861062345678')).toBe('+86 10 6234 5678');
		expect(phone('+8657187654321')).toBe('+86 571 8765 4321');
		expect(phone('+8675512345678')).toBe('+86 755 1234 5678');
		expect(phone('+14155550100')).toBe('+14155550100');
		expect(phone('')).toBe('');
	});
	it('do-not-disturb days', () => {
		expect(dayGroup([5, 4, 3, 2, 1])).toBe('workdays');
		expect(dayGroup([1, 2, 3, 4, 5, 6, 7])).toBe('everyday');
		expect(dayGroup([7, 6])).toBe('weekend');
		expect(dayGroup([1, 3])).toBe(null);
		const t = (k) => ({ 'dnd.weekday.1': 'Mon', 'dnd.weekday.3': 'Wed', 'common.listSep': ', ', 'dnd.workdays': 'Weekdays' })[k];
		expect(daysLabel([3, 1], t)).toBe('Mon, Wed');
		expect(daysLabel([1, 2, 3, 4, 5], t)).toBe('Weekdays');
	});
});
