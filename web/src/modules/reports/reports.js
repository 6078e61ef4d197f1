// The report pages, in menu order: their route name and their group.
export const REPORTS = [
	{ name: 'pareto', group: 'value' },
	{ name: 'pyramid', group: 'value' },
	{ name: 'rfm', group: 'value' },
	{ name: 'migration', group: 'value' },
	{ name: 'complaints', group: 'service' },
	{ name: 'weekly', group: 'service' },
	{ name: 'follow-ups', group: 'service' },
	{ name: 'commitments', group: 'service' },
	{ name: 'workload', group: 'service' },
];
