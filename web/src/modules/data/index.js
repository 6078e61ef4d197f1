// 数据: the import wizard and the exports (supervisors), and the admin settings of the
// channels to other systems: webhooks and e-mail.
import { Upload, Connection, Message, Key } from '@element-plus/icons-vue';
import { defineAsyncComponent } from 'vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'data', name: 'data', component: () => import('./views/DataView.vue'), meta: { nav: 'data', supervisor: true, title: 'data.title' } },
		{ path: 'data/imports/:id(\\d+)', name: 'import-job', component: () => import('./views/ImportJobView.vue'), meta: { nav: 'data', supervisor: true, title: 'data.title' } },
		{ path: 'settings/webhooks', name: 'webhooks', component: () => import('./views/WebhooksView.vue'), meta: { nav: 'webhooks', admin: true, title: 'hooks.title' } },
		{ path: 'settings/tokens', name: 'tokens', component: () => import('./views/TokensView.vue'), meta: { nav: 'tokens', title: 'tokens.title' } },
		{ path: 'settings/mail', name: 'mail-settings', component: () => import('./views/MailSettingsView.vue'), meta: { nav: 'mail', admin: true, title: 'mailcfg.title' } },
	],
	nav: [
		{ key: 'data', to: '/data', icon: Upload, label: 'nav.data', order: 70, supervisor: true },
		{ key: 'webhooks', to: '/settings/webhooks', icon: Connection, label: 'nav.webhooks', order: 940, admin: true },
		{ key: 'mail', to: '/settings/mail', icon: Message, label: 'nav.mail', order: 941, admin: true },
		{ key: 'tokens', to: '/settings/tokens', icon: Key, label: 'nav.tokens', order: 1100 },
	],
	messages,
	widgets: {
		customerListActions: [defineAsyncComponent(() => import('./components/ExportMenu.vue'))],
	},
};
