// The case vocabularies and the workflow table from GET /api/case-flow (codes with zh/en
// labels: the server's table is the one source), loaded once per page load and shared; plus
// departments and root causes, loaded once when a form needs them.
import { reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import * as API from './api.js';

const store = reactive({ flow: null, departments: [], rootCauses: [] });
let flowLoad = null;
let deptLoad = null;
let causeLoad = null;

export function loadFlow() {
	if (!flowLoad)
		flowLoad = API.caseFlow()
			.then((r) => (store.flow = r))
			.catch((e) => {
				flowLoad = null;
				throw e;
			});
	return flowLoad;
}
export function loadDepartments() {
	if (!deptLoad)
		deptLoad = API.departments()
			.then((r) => (store.departments = r.items || []))
			.catch((e) => {
				deptLoad = null;
				throw e;
			});
	return deptLoad;
}
export function loadRootCauses() {
	if (!causeLoad)
		causeLoad = API.rootCauses()
			.then((r) => (store.rootCauses = (r.items || []).filter((x) => x.active)))
			.catch((e) => {
				causeLoad = null;
				throw e;
			});
	return causeLoad;
}

/** Labels in the UI language: label('case_type', 'complaint'), stateLabel('intake'), actionLabel('accept'). */
export function useVocab() {
	const { locale } = useI18n();
	loadFlow().catch(() => {});
	const en = () => locale.value === 'en';
	const values = (set) => store.flow?.vocabularies?.[set] || [];
	function label(set, code) {
		if (!code) return '';
		const v = values(set).find((x) => x.code === code);
		return v ? (en() ? v.en : v.zh) : code;
	}
	function stateLabel(s) {
		const v = store.flow?.states?.find((x) => x.state === s);
		return v ? (en() ? v.label_en : v.label_zh) : s || '';
	}
	function actionLabel(a) {
		const v = store.flow?.actions?.find((x) => x.action === a);
		return v ? (en() ? v.label_en : v.label_zh) : a || '';
	}
	function rootCauseLabel(rc) {
		return rc ? (en() ? rc.name_en : rc.name_zh) : '';
	}
	/** The states a filter offers: complaint loop and simple flow. */
	const states = () => store.flow?.states || [];
	return { store, values, label, stateLabel, actionLabel, rootCauseLabel, states, en };
}
