// The feature modules of the UI (工单, 回访, 报表, 知识库, 热线, 数据…). Each one lives in its
// own folder, web/src/modules/<name>/index.js, and exports:
//   routes:   children of the signed-in shell (lazy components, meta.nav / meta.title as in
//             router.js; meta.supervisor for supervisor-only pages)
//   nav:      [{ key, to, icon, label (i18n key), order, supervisor?, admin? }] entries of the
//             left menu (core: workbench 0, customers 10, users 1000); routes take
//             meta.supervisor / meta.admin the same way
//   publicRoutes: optional top-level routes outside the shell, with meta.public (no login;
//             meta.portal skips the session check: the customer portal)
//   messages: { 'zh-CN': {...}, en: {...} } merged into the i18n tables (same keys in both;
//             web/tests/i18n.test.js checks)
//   widgets:  optional components other pages place, by slot name, each wrapped in
//             defineAsyncComponent so that its code loads only where it is shown:
//               customerCards   cards on the customer page (prop: customer)
//               workbenchDue    rows of the workbench's "due" list: one <li> each (no props)
//               customerListActions  buttons of the customer list's header (prop: filters)
//               headerStart     the header's left side (e.g. global search)
//               headerEnd       the header's right side, before the language switch
//               overlays        over every signed-in page (e.g. the incoming-call pop)
// Adding a module is one import line below.

import cases from './cases/index.js';
import caseadmin from './caseadmin/index.js';
import followups from './followups/index.js';
import kb from './kb/index.js';
import hotline from './hotline/index.js';
import reports from './reports/index.js';
import data from './data/index.js';
import portal from './portal/index.js';
import satisfaction from './satisfaction/index.js';

export const MODULES = [cases, caseadmin, followups, kb, hotline, reports, data, portal, satisfaction];

/** Deep-merges plain objects; b wins on leaves. */
export function deepMerge(a, b) {
	const out = { ...a };
	for (const [k, v] of Object.entries(b || {})) {
		out[k] = v && typeof v === 'object' && !Array.isArray(v) && a?.[k] && typeof a[k] === 'object' ? deepMerge(a[k], v) : v;
	}
	return out;
}

export const moduleRoutes = () => MODULES.flatMap((m) => m.routes || []);
/** Top-level routes outside the signed-in shell (meta.public; e.g. the customer portal). */
export const modulePublicRoutes = () => MODULES.flatMap((m) => m.publicRoutes || []);
export const moduleNav = () => MODULES.flatMap((m) => m.nav || []);
export const moduleMessages = (lang) => MODULES.reduce((acc, m) => deepMerge(acc, m.messages?.[lang] || {}), {});
/** The widgets named `name` of every module (e.g. 'customerTabs'), in module order. */
export const moduleWidgets = (name) => MODULES.flatMap((m) => m.widgets?.[name] || []);
