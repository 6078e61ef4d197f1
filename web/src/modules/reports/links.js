// Where each number of the commitment and workload reports leads: the list of the records
// behind it, with the matching filters in the list's URL query. Pure: the period comes in as
// the report's days ("YYYY-MM-DD", both included, China time) and leaves as epoch ms [from, to).
import { dayStart } from './period.js';

const DAY = 86400000;

/** The report's days as epoch ms: { from, to } with `to` the start of the day after. */
export function periodMs(period) {
	return { from: dayStart(period.from), to: dayStart(period.to) + DAY };
}

// The commitments list's tab (and timing) for each column of the fulfilment report.
const COMMIT_TAB = {
	made: { tab: 'all' },
	kept_on_time: { tab: 'kept', timing: 'on_time' },
	kept_late: { tab: 'kept', timing: 'late' },
	broken: { tab: 'broken' },
	overdue: { tab: 'overdue' },
	pending: { tab: 'due' },
};

/** The commitments behind a figure: column `key`, one maker (or all), a department (or all). */
export function commitmentsLink(key, { period, userId = null, departmentId = null }) {
	const ms = periodMs(period);
	const query = { scope: 'team', ...COMMIT_TAB[key], due_from: String(ms.from), due_to: String(ms.to) };
	if (userId) query.agent = String(userId);
	if (departmentId) query.dept = String(departmentId);
	return { name: 'commitments', query };
}

/** The records behind one figure of an agent's workload (null: no list shows them). */
export function workloadLink(key, { period, userId }) {
	const ms = periodMs(period);
	const who = String(userId);
	switch (key) {
		case 'assigned':
			return { name: 'cases', query: { view: 'all', assignee: who, created_from: String(ms.from), created_to: String(ms.to) } };
		case 'closed':
			return { name: 'cases', query: { view: 'all', assignee: who, closed_from: String(ms.from), closed_to: String(ms.to) } };
		case 'open':
			return { name: 'cases', query: { view: 'all', assignee: who, open: '1' } };
		case 'overdue':
			return { name: 'cases', query: { view: 'overdue', assignee: who } };
		case 'visits':
			return { name: 'followups', query: { scope: 'team', agent: who, tab: 'done', closed_from: String(ms.from), closed_to: String(ms.to) } };
		case 'commitments_due':
			return { name: 'commitments', query: { scope: 'team', agent: who, tab: 'all', due_from: String(ms.from), due_to: String(ms.to) } };
		case 'commitments_kept':
			return { name: 'commitments', query: { scope: 'team', agent: who, tab: 'kept', due_from: String(ms.from), due_to: String(ms.to) } };
		case 'calls':
			return { name: 'hotline-calls', query: { agent: who, direction: 'inbound', from: period.from, to: period.to } };
		default:
			return null;
	}
}
