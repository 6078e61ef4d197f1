// 满意度: the satisfaction dashboard (supervisors), survey templates and the automatic rules,
// campaigns with their recipients, invitations and responses, competitors' scores, opinion
// cards and the portal's service page, and the expectation sheets on the customer page.
import { defineAsyncComponent } from 'vue';
import { Postcard, Star, Tickets } from '@element-plus/icons-vue';
import messages from './messages.js';

const sup = (nav, title) => ({ nav, supervisor: true, title });

export default {
	routes: [
		{ path: 'satisfaction', name: 'satisfaction', component: () => import('./views/SatisfactionView.vue'), meta: sup('satisfaction', 'sat.title') },
		{ path: 'satisfaction/surveys', name: 'survey-templates', component: () => import('./views/SurveysView.vue'), meta: sup('survey-settings', 'sat.nav.surveys') },
		{ path: 'satisfaction/campaigns', name: 'survey-campaigns', component: () => import('./views/CampaignsView.vue'), meta: sup('satisfaction', 'sat.nav.campaigns') },
		{ path: 'satisfaction/responses', name: 'survey-responses', component: () => import('./views/ResponsesView.vue'), meta: sup('satisfaction', 'sat.nav.responses') },
		{ path: 'satisfaction/portal', name: 'portal-settings', component: () => import('./views/PortalSettingsView.vue'), meta: sup('portal-settings', 'sat.portal.title') },
		{ path: 'satisfaction/competitors', name: 'competitor-scores', component: () => import('./views/CompetitorsView.vue'), meta: sup('satisfaction', 'sat.comp.page') },
	],
	nav: [
		{ key: 'satisfaction', to: '/satisfaction', icon: Star, label: 'sat.nav.main', order: 55, supervisor: true },
		{ key: 'survey-settings', to: '/satisfaction/surveys', icon: Tickets, label: 'sat.nav.settings', order: 950, supervisor: true },
		{ key: 'portal-settings', to: '/satisfaction/portal', icon: Postcard, label: 'sat.nav.portal', order: 951, supervisor: true },
	],
	messages,
	widgets: {
		customerCards: [defineAsyncComponent(() => import('./components/ExpectationCard.vue'))],
	},
};
