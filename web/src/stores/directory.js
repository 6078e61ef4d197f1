// Users (supervisors only) and departments, loaded once and shared by the pages.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as API from '../api/index.js';

export const useDirectory = defineStore('directory', () => {
	const users = ref([]);
	let usersLoad = null;

	/** GET /api/users once per page load (force: again, e.g. after an assignment). */
	function loadUsers(force = false) {
		if (!usersLoad || force) {
			usersLoad = API.listUsers()
				.then((r) => {
					users.value = r.items || [];
					return users.value;
				})
				.catch((e) => {
					usersLoad = null;
					throw e;
				});
		}
		return usersLoad;
	}

	function userName(id) {
		const u = users.value.find((x) => x.id === Number(id));
		return u ? u.display_name || u.username : null;
	}

	return { users, loadUsers, userName };
});
