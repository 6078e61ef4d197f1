// Case settings (服务时限, 工作日历, 归档原因, 部门) and the notification bell in the header.
// Settings are for supervisors (read) and admins (change), as the API allows.
import { defineAsyncComponent } from 'vue';
import { Timer, Calendar, CollectionTag, OfficeBuilding } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'settings/sla', name: 'settings-sla', component: () => import('./views/SlaPoliciesView.vue'), meta: { nav: 'sla', supervisor: true, title: 'caseadmin.sla.head' } },
		{ path: 'settings/calendar', name: 'settings-calendar', component: () => import('./views/CalendarView.vue'), meta: { nav: 'calendar', supervisor: true, title: 'caseadmin.cal.head' } },
		{ path: 'settings/root-causes', name: 'settings-root-causes', component: () => import('./views/RootCausesView.vue'), meta: { nav: 'root-causes', supervisor: true, title: 'caseadmin.rc.head' } },
		{ path: 'settings/departments', name: 'settings-departments', component: () => import('./views/DepartmentsView.vue'), meta: { nav: 'departments', supervisor: true, title: 'caseadmin.dept.head' } },
	],
	nav: [
		{ key: 'sla', to: '/settings/sla', icon: Timer, label: 'nav.sla', order: 900, supervisor: true },
		{ key: 'calendar', to: '/settings/calendar', icon: Calendar, label: 'nav.calendar', order: 901, supervisor: true },
		{ key: 'root-causes', to: '/settings/root-causes', icon: CollectionTag, label: 'nav.rootCauses', order: 902, supervisor: true },
		{ key: 'departments', to: '/settings/departments', icon: OfficeBuilding, label: 'nav.departments', order: 903, supervisor: true },
	],
	messages,
	widgets: {
		headerEnd: [defineAsyncComponent(() => import('./components/NotificationBell.vue'))],
	},
};
