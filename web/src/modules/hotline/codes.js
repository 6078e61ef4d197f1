// The active wrap-up codes, loaded once per page load and shared (pop, calls list, lists).
import { ref } from 'vue';
import * as H from './api.js';

const codes = ref([]);
let loading = null;

export function useWrapupCodes(force = false) {
	if (!loading || force) {
		loading = H.wrapupCodes()
			.then((r) => (codes.value = r.items || []))
			.catch(() => {
				loading = null;
			});
	}
	return codes;
}

/** The label of a code in the UI language ('zh-CN' | 'en'), the code itself when unknown. */
export function codeLabel(code, lang) {
	if (!code) return '';
	const c = codes.value.find((x) => x.code === code);
	if (!c) return code;
	return (lang === 'en' ? c.label_en : c.label_zh) || c.code;
}
