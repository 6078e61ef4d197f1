// vue-i18n setup: zh-CN first, English second. The language chosen last on this browser is
// kept in localStorage for the login page; after login the user's own setting (GET /api/me
// lang) wins, and the switch in the header stores it with PATCH /api/me.
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.js';
import en from './en.js';
import { deepMerge, moduleMessages } from '../modules/index.js';

export const LANGS = ['zh-CN', 'en'];
const KEY = 'kefu.lang';

function initialLang() {
	try {
		const v = localStorage.getItem(KEY);
		if (LANGS.includes(v)) return v;
	} catch {
		/* storage unavailable */
	}
	return 'zh-CN';
}

/** The core tables with every module's messages merged in. */
export const MESSAGES = { 'zh-CN': deepMerge(zhCN, moduleMessages('zh-CN')), en: deepMerge(en, moduleMessages('en')) };

export const i18n = createI18n({
	legacy: false,
	globalInjection: true,
	locale: initialLang(),
	fallbackLocale: 'zh-CN',
	messages: MESSAGES,
	missingWarn: import.meta.env.DEV,
	fallbackWarn: import.meta.env.DEV,
});

export function currentLang() {
	return i18n.global.locale.value;
}

/** Sets the UI language (not the user's setting on the server: see stores/session.js). */
export function setLang(lang) {
	if (!LANGS.includes(lang)) lang = 'zh-CN';
	i18n.global.locale.value = lang;
	document.documentElement.lang = lang;
	try {
		localStorage.setItem(KEY, lang);
	} catch {
		/* ignore */
	}
}

export const t = (...a) => i18n.global.t(...a);
