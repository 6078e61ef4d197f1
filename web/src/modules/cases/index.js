// 工单 (cases): the inbox, quick create from a phone number, the case page with the complaint
// loop; widgets for the customer page (the customer's cases) and the workbench (my open and
// overdue cases). Views and widgets load lazily.
import { defineAsyncComponent, markRaw } from 'vue';
import { Tickets } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'cases', name: 'cases', component: () => import('./views/CaseInbox.vue'), meta: { nav: 'cases', title: 'cases.heading' } },
		{ path: 'cases/new', name: 'case-new', component: () => import('./views/CaseCreate.vue'), meta: { nav: 'cases', title: 'cases.create.title' } },
		{ path: 'cases/:id(\\d+)', name: 'case', component: () => import('./views/CaseView.vue'), meta: { nav: 'cases', title: 'cases.heading' } },
	],
	nav: [{ key: 'cases', to: '/cases', icon: markRaw(Tickets), label: 'nav.cases', order: 20 }],
	messages,
	widgets: {
		customerCards: [defineAsyncComponent(() => import('./components/CustomerCases.vue'))],
		workbenchDue: [defineAsyncComponent(() => import('./components/WorkbenchDue.vue'))],
	},
};
