// The API calls of the satisfaction module (满意度), one function each.
import { api } from '../../api/http.js';

export const getSatisfaction = (query, opts = {}) => api('GET', '/api/reports/satisfaction', { query, ...opts });
export const getGaps = (query, opts = {}) => api('GET', '/api/reports/expectation-gaps', { query, ...opts });

export const listTemplates = (query) => api('GET', '/api/survey-templates', { query });
export const createTemplate = (body) => api('POST', '/api/survey-templates', { body });
export const patchTemplate = (id, body) => api('PATCH', `/api/survey-templates/${id}`, { body });
export const archiveTemplate = (id) => api('DELETE', `/api/survey-templates/${id}`);

export const listRules = () => api('GET', '/api/survey-rules');
export const patchRule = (rule, body) => api('PATCH', `/api/survey-rules/${rule}`, { body });

export const listCampaigns = () => api('GET', '/api/survey-campaigns');
export const createCampaign = (body) => api('POST', '/api/survey-campaigns', { body });
export const patchCampaign = (id, body) => api('PATCH', `/api/survey-campaigns/${id}`, { body });
export const previewCampaign = (id, limit = 10) => api('GET', `/api/survey-campaigns/${id}/preview`, { query: { limit } });
export const sendCampaign = (id) => api('POST', `/api/survey-campaigns/${id}/send`);

export const listInvitations = (query) => api('GET', '/api/survey-invitations', { query });
export const listResponses = (query) => api('GET', '/api/survey-responses', { query });

export const listCompetitorScores = () => api('GET', '/api/competitor-scores');
export const createCompetitorScore = (body) => api('POST', '/api/competitor-scores', { body });
export const deleteCompetitorScore = (id) => api('DELETE', `/api/competitor-scores/${id}`);

export const listOpinionSources = () => api('GET', '/api/opinion-sources');
export const createOpinionSource = (body) => api('POST', '/api/opinion-sources', { body });
export const patchOpinionSource = (id, body) => api('PATCH', `/api/opinion-sources/${id}`, { body });
export const getPortalSettings = () => api('GET', '/api/portal-settings');
export const putPortalSettings = (body) => api('PUT', '/api/portal-settings', { body });

export const listSheets = (customerId, opts = {}) => api('GET', '/api/expectation-sheets', { query: { customer_id: customerId }, ...opts });
export const createSheet = (body) => api('POST', '/api/expectation-sheets', { body });
export const patchSheet = (id, body) => api('PATCH', `/api/expectation-sheets/${id}`, { body });
export const getSurveyResults = (query, opts = {}) => api('GET', '/api/reports/survey-results', { query, ...opts });
