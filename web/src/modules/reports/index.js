// 报表 and customer value: the report pages (supervisors), the segmentation settings with
// recomputes and key-account suggestions, and the segment card on the customer page.
import { defineAsyncComponent } from 'vue';
import { DataAnalysis, PieChart } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'reports', redirect: { name: 'report', params: { report: 'pareto' } } },
		{
			path: 'reports/:report(pareto|pyramid|rfm|migration|complaints|weekly|follow-ups|commitments|workload)',
			name: 'report',
			component: () => import('./views/ReportsView.vue'),
			meta: { nav: 'reports', supervisor: true, title: 'reports.heading' },
		},
		{
			path: 'settings/segments',
			name: 'segment-settings',
			component: () => import('./views/SegmentSettingsView.vue'),
			meta: { nav: 'segments', supervisor: true, title: 'segments.title' },
		},
	],
	nav: [
		{ key: 'reports', to: '/reports/pareto', icon: DataAnalysis, label: 'reports.heading', order: 60, supervisor: true },
		{ key: 'segments', to: '/settings/segments', icon: PieChart, label: 'segments.nav', order: 910, supervisor: true },
	],
	messages,
	widgets: {
		customerCards: [defineAsyncComponent(() => import('./components/SegmentCard.vue'))],
	},
};
