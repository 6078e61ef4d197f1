// 知识库, global search and 服务用语 (issue 8): the header's search box and the search page,
// the knowledge base of standard answers (browse, read, use, rate, edit with versions and
// review), the case page's suggested answers, and the service-language settings.
import { defineAsyncComponent } from 'vue';
import { Collection, ChatLineSquare } from '@element-plus/icons-vue';
import messages from './messages.js';

export default {
	routes: [
		{ path: 'search', name: 'search', component: () => import('./views/SearchView.vue'), meta: { title: 'kb.search.heading' } },
		{ path: 'kb', name: 'kb', component: () => import('./views/KbListView.vue'), meta: { nav: 'kb', title: 'kb.title' } },
		{ path: 'kb/new', name: 'kb-new', component: () => import('./views/KbEditView.vue'), meta: { nav: 'kb', title: 'kb.edit.newTitle' } },
		{ path: 'kb/:id(\\d+)', name: 'kb-answer', component: () => import('./views/KbAnswerView.vue'), meta: { nav: 'kb', title: 'kb.title' } },
		{ path: 'kb/:id(\\d+)/edit', name: 'kb-edit', component: () => import('./views/KbEditView.vue'), meta: { nav: 'kb', title: 'kb.edit.editTitle' } },
		{
			path: 'settings/service-language',
			name: 'service-language',
			component: () => import('./views/ServiceLanguageView.vue'),
			meta: { nav: 'service-language', supervisor: true, title: 'kb.lint.title' },
		},
	],
	nav: [
		{ key: 'kb', to: '/kb', icon: Collection, label: 'nav.kb', order: 40 },
		{ key: 'service-language', to: '/settings/service-language', icon: ChatLineSquare, label: 'kb.navLanguage', order: 920, supervisor: true },
	],
	messages,
	widgets: {
		headerStart: [defineAsyncComponent(() => import('./components/GlobalSearch.vue'))],
		caseSidebar: [defineAsyncComponent(() => import('./components/CaseSuggestions.vue'))],
		workbenchDue: [defineAsyncComponent(() => import('./components/WorkbenchDue.vue'))],
	},
};
