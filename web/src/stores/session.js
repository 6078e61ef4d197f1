// The signed-in user: login, logout, GET /api/me, language per user.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as API from '../api/index.js';
import { currentLang, setLang } from '../i18n/index.js';

export const ROLE_RANK = { agent: 1, supervisor: 2, admin: 3 };

export const useSession = defineStore('session', () => {
	const user = ref(null);
	let checked = false;
	// A language picked on the login page wins over the one remembered for the user.
	let pickedBeforeLogin = null;

	const isSupervisor = computed(() => !!user.value && (ROLE_RANK[user.value.role] || 0) >= 2);
	const isAdmin = computed(() => !!user.value && (ROLE_RANK[user.value.role] || 0) >= 3);

	function adopt(u) {
		user.value = u;
		checked = true;
		if (u && u.lang) setLang(u.lang);
	}

	async function signIn(username, password) {
		const r = await API.login(username, password);
		API.setCsrf(r.csrf_token);
		const picked = pickedBeforeLogin;
		pickedBeforeLogin = null;
		if (picked && picked !== r.user.lang) {
			adopt({ ...r.user, lang: picked });
			await API.patchMe({ lang: picked }).catch(() => {});
		} else {
			adopt(r.user);
		}
		return user.value;
	}

	/** Loads the user once per page load; false when there is no valid session. */
	async function ensure() {
		if (checked) return !!user.value;
		try {
			adopt(await API.getMe({ quiet401: true }));
		} catch (e) {
			if (e.status !== 401) throw e;
			user.value = null;
			checked = true;
		}
		return !!user.value;
	}

	/** The session ended on the server (a 401): forget it here too. */
	function expired() {
		user.value = null;
		checked = true;
		API.setCsrf('');
	}

	async function signOut() {
		try {
			await API.logout();
		} catch {
			/* already gone */
		}
		expired();
	}

	/** Switches the UI language and remembers it for this user. */
	async function changeLang(lang) {
		if (lang === currentLang()) return;
		setLang(lang);
		if (!user.value) pickedBeforeLogin = lang;
		else {
			const u = await API.patchMe({ lang });
			user.value = { ...user.value, ...(u && u.id ? u : { lang }) };
		}
	}

	return { user, isSupervisor, isAdmin, signIn, ensure, expired, signOut, changeLang };
});
