// Notifications in the browser (pure): the badge, where a notification leads, how old it
// is, and when to ask the server again.

/** The unread count as the badge shows it: '' for none, '99+' above 99. */
export function badgeText(n) {
	if (!n || n < 0) return '';
	return n > 99 ? '99+' : String(n);
}

/**
 * The page a notification opens: its case; an overdue follow-up visit or commitment
 * (data.entity) opens the follow-up module's page when that module is installed
 * (`hasRoute(name)`, the router's); else null.
 */
export function notificationLink(n, hasRoute = () => false) {
	if (!n) return null;
	if (n.case_id) return `/cases/${n.case_id}`;
	const d = n.data || {};
	if (d.entity === 'followups' && d.id && hasRoute('followup')) return `/followups/${d.id}`;
	if (d.entity === 'commitments' && hasRoute('commitments')) return '/commitments';
	return null;
}

/** Age of `ms` at `now` as {key, n} for t(`caseadmin.ago.${key}`, {n}). */
export function ago(ms, now) {
	const s = Math.max(0, Math.floor((now - ms) / 1000));
	if (s < 60) return { key: 'now', n: 0 };
	if (s < 3600) return { key: 'min', n: Math.floor(s / 60) };
	if (s < 86400) return { key: 'hour', n: Math.floor(s / 3600) };
	return { key: 'day', n: Math.floor(s / 86400) };
}

/** A list with notification `id` marked read at `at` (a new array; the unread count follows). */
export function markRead(items, id, at) {
	return items.map((n) => (n.id === id && !n.read_at ? { ...n, read_at: at } : n));
}

export function markAllRead(items, at) {
	return items.map((n) => (n.read_at ? n : { ...n, read_at: at }));
}

/**
 * Whether to poll now: the page is visible and the last poll is at least `every` ms old
 * (a focus right after a poll does not poll twice).
 */
export function pollDue(lastAt, now, every, visible = true) {
	return visible && (!lastAt || now - lastAt >= every);
}
