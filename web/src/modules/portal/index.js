// 客户门户 (the customer portal H5): the service page, inquiries and complaints, case
// tracking, surveys by their one-time link and opinion cards by store. No staff login: its
// pages are `publicRoutes`, top-level routes with meta.public, outside the signed-in shell
// (the shell mounts them once router.js reads publicRoutes: docs/satisfaction-api.md).
import messages from './messages.js';

const page = (name, path, view, title) => ({
	path, name, component: view, meta: { public: true, portal: true, title },
});

export default {
	routes: [],
	nav: [],
	messages,
	publicRoutes: [
		{
			path: '/portal',
			component: () => import('./views/PortalLayout.vue'),
			meta: { public: true, portal: true },
			children: [
				page('portal-home', '', () => import('./views/PortalHomeView.vue'), 'portal.title'),
				page('portal-track', 'track', () => import('./views/PortalTrackView.vue'), 'portal.trackTitle'),
				page('portal-survey', 's/:token', () => import('./views/PortalSurveyView.vue'), 'portal.surveyTitle'),
				page('portal-card', 'card/:slug', () => import('./views/PortalCardView.vue'), 'portal.title'),
			],
		},
	],
};
