/**
 * Configuration management, deployments, tiers, services and data sources.
 * @module mixcoatl/automation
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/automation`: configuration management, deployments, tiers, services, data sources. */
export { ConfigurationManagementAccount } from './configuration-management-account.js';
export { ConfigurationManagementService } from './configuration-management-service.js';
export { ConfigurationManagementSystem } from './configuration-management-system.js';
export { DataSource } from './data-source.js';
export { DataSourceBackup } from './data-source-backup.js';
export { Deployment } from './deployment.js';
export { Environment } from './environment.js';
export { LaunchConfiguration, type ProviderProduct } from './launch-configuration.js';
export { Personality } from './personality.js';
export { Script } from './script.js';
export { Service } from './service.js';
export { Tier } from './tier.js';
