// One shared clock for the due times on a page (a tick a minute instead of a timer per row).
import { onScopeDispose, ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer = null;

export function useNow() {
	if (users++ === 0) {
		now.value = Date.now();
		timer = setInterval(() => (now.value = Date.now()), 30000);
	}
	onScopeDispose(() => {
		if (--users === 0) clearInterval(timer);
	});
	return now;
}
