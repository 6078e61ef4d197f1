// The message tables: zh-CN and en must have the same keys, no empty texts, the same
// {placeholders}; every key the source uses with t('...') / $t('...') must exist in both;
// every classification value of the API must have a label in both.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGES } from '../src/i18n/index.js';
import { ENUMS, ROLES } from '../src/lib/enums.js';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function flatten(obj, prefix = '', out = new Map()) {
	for (const [k, v] of Object.entries(obj)) {
		const key = prefix ? `${prefix}.${k}` : k;
		if (v && typeof v === 'object') flatten(v, key, out);
		else out.set(key, v);
	}
	return out;
}

function files(dir) {
	return readdirSync(dir).flatMap((n) => {
		const p = path.join(dir, n);
		if (statSync(p).isDirectory()) return files(p);
		// The message tables themselves (i18n/, the modules' messages.js) are not source.
		return /\.(vue|js)$/.test(n) && n !== 'messages.js' && !p.includes(`${path.sep}i18n${path.sep}`) ? [p] : [];
	});
}

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;
const ZH = flatten(zh);
const EN = flatten(en);
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Keys used in the source: literal keys, and the static prefixes of template keys. */
function usedKeys() {
	const literal = new Map();
	const prefixes = new Map();
	const re = /(?:\$t|\bt)\(\s*(?:'([^'\n]+)'|"([^"\n]+)"|`([^`\n]+)`)/g;
	for (const f of files(SRC)) {
		const text = readFileSync(f, 'utf8');
		// Route titles: meta: { title: 'nav.workbench' } (router.js).
		for (const m of text.matchAll(/\btitle: '([\w.]+)'/g)) literal.set(m[1], path.relative(SRC, f));
		for (const m of text.matchAll(re)) {
			const where = path.relative(SRC, f);
			const key = m[1] ?? m[2] ?? m[3];
			if (m[3] !== undefined && key.includes('${')) {
				const prefix = key.slice(0, key.indexOf('${')).replace(/\.$/, '');
				prefixes.set(prefix, where);
			} else {
				literal.set(key, where);
			}
		}
	}
	return { literal, prefixes };
}

describe('i18n tables', () => {
	it('zh-CN and en have exactly the same keys', () => {
		const onlyZh = [...ZH.keys()].filter((k) => !EN.has(k));
		const onlyEn = [...EN.keys()].filter((k) => !ZH.has(k));
		expect({ missingInEn: onlyZh, missingInZh: onlyEn }).toEqual({ missingInEn: [], missingInZh: [] });
	});

	it('no message is empty', () => {
		const empty = [...ZH, ...EN].filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k);
		expect(empty).toEqual([]);
	});

	it('both languages use the same {placeholders}', () => {
		const bad = [...ZH.keys()].filter((k) => EN.has(k) && placeholders(ZH.get(k)).join() !== placeholders(EN.get(k)).join());
		expect(bad).toEqual([]);
	});

	it('every key used in the source exists in both tables', () => {
		const { literal, prefixes } = usedKeys();
		expect(literal.size).toBeGreaterThan(100);
		const missing = [];
		for (const [k, where] of literal) {
			if (!ZH.has(k)) missing.push(`zh-CN: ${k} (${where})`);
			if (!EN.has(k)) missing.push(`en: ${k} (${where})`);
		}
		for (const [p, where] of prefixes) {
			const hasZh = [...ZH.keys()].some((k) => k.startsWith(`${p}.`));
			const hasEn = [...EN.keys()].some((k) => k.startsWith(`${p}.`));
			if (!hasZh) missing.push(`zh-CN: ${p}.* (${where})`);
			if (!hasEn) missing.push(`en: ${p}.* (${where})`);
		}
		expect(missing).toEqual([]);
	});

	it('every classification value and role has a label', () => {
		const missing = [];
		for (const [cls, values] of Object.entries(ENUMS))
			for (const v of values) for (const [name, table] of [['zh-CN', ZH], ['en', EN]]) if (!table.has(`enum.${cls}.${v}`)) missing.push(`${name}: enum.${cls}.${v}`);
		for (const r of ROLES) for (const [name, table] of [['zh-CN', ZH], ['en', EN]]) if (!table.has(`roles.${r}`)) missing.push(`${name}: roles.${r}`);
		for (const d of [1, 2, 3, 4, 5, 6, 7]) if (!ZH.has(`dnd.weekday.${d}`) || !EN.has(`dnd.weekday.${d}`)) missing.push(`dnd.weekday.${d}`);
		expect(missing).toEqual([]);
	});

	it('uses the product terms of the domain', () => {
		expect(zh.enum.lifecycle).toEqual({ potential: '潜在', temporary: '临时', general: '一般', loyal: '忠诚' });
		expect(zh.enum.chain_role.public).toBe('公利客户');
		expect(zh.enum.value_class.key).toBe('关键客户');
		expect(zh.roles).toEqual({ agent: '客服专员', supervisor: '主管', admin: '管理员' });
		expect(zh.app.name).toBe('客服管理系统');
	});
});
