// What every report page does: load its answer for the query in the URL (the last request
// wins; leaving the page cancels it), and change that query.
import { onBeforeUnmount, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { t } from '../../i18n/index.js';

/** fetcher(signal) → the answer; reloaded whenever deps() changes. */
export function useReportLoad(fetcher, deps) {
	const data = ref(null);
	const loading = ref(false);
	const error = ref('');
	let ctl = null;
	async function load() {
		ctl?.abort();
		const mine = (ctl = new AbortController());
		loading.value = true;
		error.value = '';
		try {
			data.value = await fetcher(mine.signal);
		} catch (e) {
			if (e.name !== 'AbortError') error.value = e.detail || t('errors.generic');
		} finally {
			if (ctl === mine) loading.value = false;
		}
	}
	watch(deps, load, { immediate: true, deep: true });
	onBeforeUnmount(() => ctl?.abort());
	return { data, loading, error, load };
}

/** The URL query of the page and a setter that merges changes (null or '' removes a key). */
export function useQueryState() {
	const route = useRoute();
	const router = useRouter();
	function set(changes) {
		const q = { ...route.query, ...changes };
		for (const k of Object.keys(q)) if (q[k] === null || q[k] === undefined || q[k] === '') delete q[k];
		router.replace({ query: q });
	}
	return { route, set };
}

/** The customers a customer-value report covers, from the URL query (?kind=&department=):
 * { kind, department, api } where api is the report API's query for it. */
export function customerScope(query) {
	const kind = query.kind === 'person' || query.kind === 'organization' ? query.kind : '';
	const department = /^\d+$/.test(query.department || '') ? Number(query.department) : 0;
	const api = {};
	if (kind) api.kind = kind;
	if (department) api.department_id = department;
	return { kind, department, api };
}
