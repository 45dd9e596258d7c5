/**
 * Clouds, regions, data centers and subscriptions.
 * @module mixcoatl/geography
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/geography`: clouds, regions, data centers, subscriptions. */
export { Cloud } from './cloud.js';
export { DataCenter } from './data-center.js';
export { Region } from './region.js';
export { Subscription } from './subscription.js';
