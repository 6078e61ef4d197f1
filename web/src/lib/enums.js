// The classification values of the API (core/classes.c), in display order.
export const ENUMS = {
	kind: ['person', 'organization'],
	source: ['external', 'internal'],
	lifecycle: ['potential', 'temporary', 'general', 'loyal'],
	chain_role: ['intermediate', 'terminal', 'public'],
	value_class: ['key', 'ordinary'],
	tier: ['top', 'high', 'mid', 'low', 'inactive', 'potential'],
	date_kind: ['birthday', 'anniversary', 'other'],
};

export const ROLES = ['agent', 'supervisor', 'admin'];

/** Element Plus tag types, so a class reads the same colour everywhere. */
export const TAG_TYPE = {
	lifecycle: { potential: 'info', temporary: 'warning', general: 'primary', loyal: 'success' },
	tier: { top: 'danger', high: 'warning', mid: 'primary', low: 'info', inactive: 'info', potential: 'info' },
	value_class: { key: 'danger', ordinary: 'info' },
};
