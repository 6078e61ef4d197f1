// 回访 and 承诺: follow-up visits (due today / overdue / upcoming / done, the visit page with
// the script, the suggested call time and the record), commitments (due / overdue / kept /
// broken, the fulfilment rate), the rules and scripts (supervisors see, admins edit) and the
// key-account coverage. Two menu entries: an agent goes to one list or the other directly.
import { defineAsyncComponent } from 'vue';
import { Calendar, Finished, Operation } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'followups', name: 'followups', component: () => import('./views/FollowupsView.vue'), meta: { nav: 'followups', title: 'nav.followups' } },
		{ path: 'followups/:id(\\d+)', name: 'followup', component: () => import('./views/VisitView.vue'), meta: { nav: 'followups', title: 'followups.visit.title' } },
		{ path: 'commitments', name: 'commitments', component: () => import('./views/CommitmentsView.vue'), meta: { nav: 'commitments', title: 'nav.commitments' } },
		{
			path: 'settings/followups',
			name: 'followup-settings',
			component: () => import('./views/FollowupSettingsView.vue'),
			meta: { nav: 'followup-settings', supervisor: true, title: 'followups.settings.title' },
		},
	],
	nav: [
		{ key: 'followups', to: '/followups', icon: Calendar, label: 'nav.followups', order: 30 },
		{ key: 'commitments', to: '/commitments', icon: Finished, label: 'nav.commitments', order: 31 },
		{ key: 'followup-settings', to: '/settings/followups', icon: Operation, label: 'nav.followupSettings', order: 1001, supervisor: true },
	],
	messages,
	widgets: {
		customerCards: [defineAsyncComponent(() => import('./components/CustomerFollowupsCard.vue'))],
		workbenchDue: [defineAsyncComponent(() => import('./components/WorkbenchDueRows.vue'))],
	},
};
