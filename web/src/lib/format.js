// Formatting shared by every page: money in fen, times in ms, phones.

/** 123456 fen → "¥1,234.56"; null/undefined → "". */
export function money(fen) {
	if (fen === null || fen === undefined || fen === '') return '';
	const n = Number(fen);
	if (!Number.isFinite(n)) return '';
	const neg = n < 0;
	const abs = Math.abs(Math.round(n));
	const yuan = Math.floor(abs / 100);
	const cents = String(abs % 100).padStart(2, '0');
	const int = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${neg ? '-' : ''}¥${int}.${cents}`;
}

/** "1234.5" (yuan, as typed) → 123450 fen, or null when it is not an amount. */
export function yuanToFen(v) {
	if (v === null || v === undefined) return null;
	const s = String(v).trim().replace(/[,，¥\s]/g, '');
	if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return null;
	const neg = s.startsWith('-');
	const [i, f = ''] = s.replace('-', '').split('.');
	const fen = Number(i) * 100 + Number((f + '00').slice(0, 2));
	return neg ? -fen : fen;
}

const pad = (n) => String(n).padStart(2, '0');

/** ms → "2025-09-16 14:03" in local time. */
export function dateTime(ms) {
	if (ms === null || ms === undefined) return '';
	const d = new Date(Number(ms));
	if (Number.isNaN(d.getTime())) return '';
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ms → "2025-09-16" in local time. */
export function date(ms) {
	return dateTime(ms).slice(0, 10);
}

/**
 * Chinese numbers grouped for reading: mobiles "+8618699775301" → "+86 186 9977 5301",
 * fixed lines "+861062345678" → "+86 10 6234 5678" (area codes 10 and 20–29 have two digits,
 * the others three). Anything else (masked, foreign) is shown as stored.
 */
export function phone(p) {
	if (!p) return '';
	let m = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(p);
	if (m) return `+86 ${m[1]} ${m[2]} ${m[3]}`;
	m = /^\+86((?:10|2\d)|[3-9]\d{2})(\d{7,8})$/.exec(p);
	if (m) return `+86 ${m[1]} ${m[2].slice(0, -4)} ${m[2].slice(-4)}`;
	return p;
}

/** [1,2,3,4,5] → grouped label keys: 'everyday' | 'workdays' | 'weekend' | null. */
export function dayGroup(days) {
	const s = [...new Set(days || [])].sort().join(',');
	if (s === '1,2,3,4,5,6,7') return 'everyday';
	if (s === '1,2,3,4,5') return 'workdays';
	if (s === '6,7') return 'weekend';
	return null;
}

/** Days of a do-not-disturb window in words: "工作日", "周一、周三", "Mon, Wed, Fri". */
export function daysLabel(days, t) {
	const g = dayGroup(days);
	if (g) return t(`dnd.${g}`);
	const list = [...new Set(days || [])].sort();
	return list.map((d) => t(`dnd.weekday.${d}`)).join(t('common.listSep'));
}
