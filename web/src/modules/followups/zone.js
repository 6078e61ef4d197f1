// The company's time zone and rest hours (GET /api/hotline/settings): rest hours and the customers'
// do-not-disturb windows are wall-clock times there. Loaded once per page load.
import { ref } from 'vue';
import { hotlineSettings } from './api.js';
import { setRestWindows } from './logic.js';

export const companyZone = ref('Asia/Shanghai');
let loading = null;

/** Loads the zone once; keeps the default if the settings cannot be read. */
export function loadZone() {
	if (!loading)
		loading = hotlineSettings()
			.then((s) => {
				if (s && s.timezone) companyZone.value = s.timezone;
				if (s) setRestWindows(s.rest_hours);
				return companyZone.value;
			})
			.catch(() => companyZone.value);
	return loading;
}
