// The case vocabularies (GET /api/case-flow) once per page load, with labels in the UI language.
import { ref } from 'vue';
import { caseFlow } from './api.js';

const vocab = ref(null);
let loading = null;

export function loadVocab() {
	if (!loading)
		loading = caseFlow()
			.then((r) => (vocab.value = r.vocabularies || {}))
			.catch((e) => {
				loading = null;
				throw e;
			});
	return loading;
}

/** [{code, zh, en}] of a vocabulary. */
export const codes = (name) => vocab.value?.[name] || [];

/** The label of a code in `lang` ('zh-CN' or 'en'); the code itself when unknown. */
export function vocabLabel(name, code, lang) {
	const v = codes(name).find((x) => x.code === code);
	return v ? (lang === 'en' ? v.en : v.zh) : code;
}

export { vocab };
