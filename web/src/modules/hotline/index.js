// 热线 (the hotline): calls, the incoming-call screen pop, the wallboard, interval metrics,
// staffing (Erlang C, forecast, shift plans), quality checks and outbound call lists.
// The API is docs/hotline-api.md; the pure logic is logic.js (web/tests/hotline.test.js).
import { defineAsyncComponent } from 'vue';
import { Phone } from '@element-plus/icons-vue';
import messages from './messages.js';

const meta = (title, extra = {}) => ({ nav: 'hotline', title, ...extra });

export default {
	routes: [
		{ path: 'hotline', redirect: '/hotline/calls' },
		{ path: 'hotline/calls', name: 'hotline-calls', component: () => import('./views/CallsView.vue'), meta: meta('hotline.calls.heading') },
		{ path: 'hotline/wallboard', name: 'hotline-wallboard', component: () => import('./views/WallboardView.vue'), meta: meta('hotline.wallboard.heading', { supervisor: true }) },
		{ path: 'hotline/metrics', name: 'hotline-metrics', component: () => import('./views/MetricsView.vue'), meta: meta('hotline.metrics.heading', { supervisor: true }) },
		{ path: 'hotline/staffing', name: 'hotline-staffing', component: () => import('./views/StaffingView.vue'), meta: meta('hotline.staffing.heading') },
		{ path: 'hotline/qa', name: 'hotline-qa', component: () => import('./views/QaView.vue'), meta: meta('hotline.qa.heading') },
		{ path: 'hotline/call-lists', name: 'hotline-call-lists', component: () => import('./views/CallListsView.vue'), meta: meta('hotline.lists.heading') },
		{ path: 'hotline/settings', name: 'hotline-settings', component: () => import('./views/SettingsView.vue'), meta: meta('hotline.settings.heading', { supervisor: true }) },
	],
	nav: [{ key: 'hotline', to: '/hotline/calls', icon: Phone, label: 'nav.hotline', order: 50 }],
	messages,
	widgets: {
		overlays: [defineAsyncComponent(() => import('./components/ScreenPop.vue'))],
		workbenchDue: [defineAsyncComponent(() => import('./components/DueWrapups.vue'))],
	},
};
