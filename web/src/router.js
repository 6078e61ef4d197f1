// Routes load their code lazily; the guard checks the session once per page load and sends
// anonymous users to /login?redirect=<where they were going>.
import { createRouter, createWebHistory } from 'vue-router';
// ElMessage / ElMessageBox come from unplugin-auto-import (per component, with their CSS).
import { useSession } from './stores/session.js';
import { onUnauthorized } from './api/index.js';
import { prefetchList } from './lib/prefetch.js';
import { apiListQuery, parseListQuery } from './lib/listQuery.js';
import { t } from './i18n/index.js';
import { modulePublicRoutes, moduleRoutes } from './modules/index.js';

const routes = [
	{ path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: 'login.title' } },
	...modulePublicRoutes(),
	{
		path: '/',
		component: () => import('./layouts/MainLayout.vue'),
		children: [
			{ path: '', name: 'workbench', component: () => import('./views/WorkbenchView.vue'), meta: { nav: 'workbench', title: 'nav.workbench' } },
			{ path: 'customers', name: 'customers', component: () => import('./views/CustomerListView.vue'), meta: { nav: 'customers', title: 'customers.title' } },
			{ path: 'customers/new', name: 'customer-new', component: () => import('./views/CustomerCreateView.vue'), meta: { nav: 'customers', title: 'customer.createTitle' } },
			{ path: 'customers/:id(\\d+)', name: 'customer', component: () => import('./views/CustomerView.vue'), meta: { nav: 'customers', title: 'customers.title' } },
			{ path: 'settings/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { nav: 'users', supervisor: true, title: 'users.title' } },
			...moduleRoutes(),
			{ path: ':rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
		],
	},
];

export const router = createRouter({
	history: createWebHistory(),
	routes,
	scrollBehavior(to, from, saved) {
		if (saved) return saved;
		if (to.path === from.path) return false;
		return { top: 0 };
	},
});

/** Only same-site paths are followed after login. */
export function safeRedirect(r) {
	const s = Array.isArray(r) ? r[0] : r;
	if (typeof s === 'string' && s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/login')) return s;
	return '/';
}

router.beforeEach(async (to) => {
	const session = useSession();
	// Start loading the page's code (and, for the customer list, its first page of data) now,
	// in parallel with the session check, rather than after it.
	for (const r of to.matched) {
		const c = r.components?.default;
		if (typeof c === 'function') c().catch(() => {});
	}
	if (to.name === 'customers') prefetchList(apiListQuery(parseListQuery(to.query)));
	// The customer portal has no staff session to check.
	if (to.meta.portal) return true;
	const ok = await session.ensure();
	if (to.meta.public) {
		if (ok && to.name === 'login') return safeRedirect(to.query.redirect);
		return true;
	}
	if (!ok) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
	if (to.meta.supervisor && !session.isSupervisor) return { name: 'workbench' };
	if (to.meta.admin && !session.isAdmin) return { name: 'workbench' };
	return true;
});

// Any 401 from the API: the session expired or was ended elsewhere.
let redirecting = false;
onUnauthorized(() => {
	const session = useSession();
	const hadSession = !!session.user;
	session.expired();
	const cur = router.currentRoute.value;
	if (!hadSession || redirecting || cur.meta.public) return;
	redirecting = true;
	ElMessage.warning(t('login.sessionExpired'));
	router
		.replace({ name: 'login', query: { redirect: cur.fullPath } })
		.finally(() => {
			redirecting = false;
		});
});

/** The window title: "客户 · 客服管理系统" (App.vue calls it again when the language changes). */
export function updateTitle(route = router.currentRoute.value) {
	const page = route.meta?.title ? t(route.meta.title) : '';
	document.title = page ? `${page} · ${t('app.name')}` : `${t('app.name')} kefu`;
}
router.afterEach((to) => updateTitle(to));
