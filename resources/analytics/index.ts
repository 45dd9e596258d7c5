/**
 * Server and tier performance data.
 * @module mixcoatl/analytics
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/analytics`: server and tier performance data. */
export { ServerAnalytics, type ServerDataPoint } from './server-analytics.js';
export { TierAnalytics, type TierDataPoint } from './tier-analytics.js';
