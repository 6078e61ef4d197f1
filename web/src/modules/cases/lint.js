// Service-language hints for a text being typed (POST /api/lint, debounced; the last answer
// for the current text only). Used by the reply box and by the customer-facing texts of the
// workflow's forms (the explanation of a judgement).
import { onScopeDispose, ref, watch } from 'vue';
import * as API from './api.js';

export function useLint(source, { delay = 350, enabled = () => true } = {}) {
	const findings = ref([]);
	const checked = ref('');
	let timer = null;
	let ctl = null;
	watch(
		[source, enabled],
		([text, on]) => {
			clearTimeout(timer);
			if (!on || !text || !text.trim()) {
				findings.value = [];
				checked.value = '';
				return;
			}
			timer = setTimeout(async () => {
				if (ctl) ctl.abort();
				ctl = new AbortController();
				try {
					const r = await API.lint(text, { signal: ctl.signal });
					if (text !== source()) return;
					findings.value = r.findings || [];
					checked.value = text;
				} catch {
					/* hints are a help: nothing to show */
				}
			}, delay);
		},
	);
	onScopeDispose(() => {
		clearTimeout(timer);
		if (ctl) ctl.abort();
	});
	return { findings, checked };
}
