/**
 * `mixcoatl/strict`: the package with loaded state in the types (lib/orm/typed.ts). Everything
 * `mixcoatl` exports, the same values at run time; only the resource classes are typed otherwise:
 * a reference is `Unloaded` unless the read that returned its owner named it in `include`, so
 *
 * ```ts
 * const servers = await Server.all({ include: ['region'] });
 * servers[0].region.name;      // compiles: the region was included
 * servers[0].dataCenter.name;  // does not compile: load() it first
 * ```
 *
 * A program imports its classes from here instead of `mixcoatl`; it may combine this with
 * `configure({ lazy: 'async' })`, which makes a lazy read that slips through a NotLoadedError.
 */
import * as base from './index.js';
import type { StrictClass, Strict } from './orm/typed.js';

export * from './index.js';

/** {@link base.Account}, its references typed as loaded only when included. */
export const Account = base.Account as unknown as StrictClass<typeof base.Account>;
/** An object of {@link base.Account} under the strict types. */
export type Account = Strict<base.Account>;
/** {@link base.ApiKey}, its references typed as loaded only when included. */
export const ApiKey = base.ApiKey as unknown as StrictClass<typeof base.ApiKey>;
/** An object of {@link base.ApiKey} under the strict types. */
export type ApiKey = Strict<base.ApiKey>;
/** {@link base.BillingCode}, its references typed as loaded only when included. */
export const BillingCode = base.BillingCode as unknown as StrictClass<typeof base.BillingCode>;
/** An object of {@link base.BillingCode} under the strict types. */
export type BillingCode = Strict<base.BillingCode>;
/** {@link base.Customer}, its references typed as loaded only when included. */
export const Customer = base.Customer as unknown as StrictClass<typeof base.Customer>;
/** An object of {@link base.Customer} under the strict types. */
export type Customer = Strict<base.Customer>;
/** {@link base.Group}, its references typed as loaded only when included. */
export const Group = base.Group as unknown as StrictClass<typeof base.Group>;
/** An object of {@link base.Group} under the strict types. */
export type Group = Strict<base.Group>;
/** {@link base.Job}, its references typed as loaded only when included. */
export const Job = base.Job as unknown as StrictClass<typeof base.Job>;
/** An object of {@link base.Job} under the strict types. */
export type Job = Strict<base.Job>;
/** {@link base.License}, its references typed as loaded only when included. */
export const License = base.License as unknown as StrictClass<typeof base.License>;
/** An object of {@link base.License} under the strict types. */
export type License = Strict<base.License>;
/** {@link base.Role}, its references typed as loaded only when included. */
export const Role = base.Role as unknown as StrictClass<typeof base.Role>;
/** An object of {@link base.Role} under the strict types. */
export type Role = Strict<base.Role>;
/** {@link base.User}, its references typed as loaded only when included. */
export const User = base.User as unknown as StrictClass<typeof base.User>;
/** An object of {@link base.User} under the strict types. */
export type User = Strict<base.User>;
/** {@link base.ServerAnalytics}, its references typed as loaded only when included. */
export const ServerAnalytics = base.ServerAnalytics as unknown as StrictClass<typeof base.ServerAnalytics>;
/** An object of {@link base.ServerAnalytics} under the strict types. */
export type ServerAnalytics = Strict<base.ServerAnalytics>;
/** {@link base.TierAnalytics}, its references typed as loaded only when included. */
export const TierAnalytics = base.TierAnalytics as unknown as StrictClass<typeof base.TierAnalytics>;
/** An object of {@link base.TierAnalytics} under the strict types. */
export type TierAnalytics = Strict<base.TierAnalytics>;
/** {@link base.ConfigurationManagementAccount}, its references typed as loaded only when included. */
export const ConfigurationManagementAccount = base.ConfigurationManagementAccount as unknown as StrictClass<typeof base.ConfigurationManagementAccount>;
/** An object of {@link base.ConfigurationManagementAccount} under the strict types. */
export type ConfigurationManagementAccount = Strict<base.ConfigurationManagementAccount>;
/** {@link base.ConfigurationManagementService}, its references typed as loaded only when included. */
export const ConfigurationManagementService = base.ConfigurationManagementService as unknown as StrictClass<typeof base.ConfigurationManagementService>;
/** An object of {@link base.ConfigurationManagementService} under the strict types. */
export type ConfigurationManagementService = Strict<base.ConfigurationManagementService>;
/** {@link base.ConfigurationManagementSystem}, its references typed as loaded only when included. */
export const ConfigurationManagementSystem = base.ConfigurationManagementSystem as unknown as StrictClass<typeof base.ConfigurationManagementSystem>;
/** An object of {@link base.ConfigurationManagementSystem} under the strict types. */
export type ConfigurationManagementSystem = Strict<base.ConfigurationManagementSystem>;
/** {@link base.DataSource}, its references typed as loaded only when included. */
export const DataSource = base.DataSource as unknown as StrictClass<typeof base.DataSource>;
/** An object of {@link base.DataSource} under the strict types. */
export type DataSource = Strict<base.DataSource>;
/** {@link base.DataSourceBackup}, its references typed as loaded only when included. */
export const DataSourceBackup = base.DataSourceBackup as unknown as StrictClass<typeof base.DataSourceBackup>;
/** An object of {@link base.DataSourceBackup} under the strict types. */
export type DataSourceBackup = Strict<base.DataSourceBackup>;
/** {@link base.Deployment}, its references typed as loaded only when included. */
export const Deployment = base.Deployment as unknown as StrictClass<typeof base.Deployment>;
/** An object of {@link base.Deployment} under the strict types. */
export type Deployment = Strict<base.Deployment>;
/** {@link base.Environment}, its references typed as loaded only when included. */
export const Environment = base.Environment as unknown as StrictClass<typeof base.Environment>;
/** An object of {@link base.Environment} under the strict types. */
export type Environment = Strict<base.Environment>;
/** {@link base.LaunchConfiguration}, its references typed as loaded only when included. */
export const LaunchConfiguration = base.LaunchConfiguration as unknown as StrictClass<typeof base.LaunchConfiguration>;
/** An object of {@link base.LaunchConfiguration} under the strict types. */
export type LaunchConfiguration = Strict<base.LaunchConfiguration>;
/** {@link base.Personality}, its references typed as loaded only when included. */
export const Personality = base.Personality as unknown as StrictClass<typeof base.Personality>;
/** An object of {@link base.Personality} under the strict types. */
export type Personality = Strict<base.Personality>;
/** {@link base.Script}, its references typed as loaded only when included. */
export const Script = base.Script as unknown as StrictClass<typeof base.Script>;
/** An object of {@link base.Script} under the strict types. */
export type Script = Strict<base.Script>;
/** {@link base.Service}, its references typed as loaded only when included. */
export const Service = base.Service as unknown as StrictClass<typeof base.Service>;
/** An object of {@link base.Service} under the strict types. */
export type Service = Strict<base.Service>;
/** {@link base.Tier}, its references typed as loaded only when included. */
export const Tier = base.Tier as unknown as StrictClass<typeof base.Tier>;
/** An object of {@link base.Tier} under the strict types. */
export type Tier = Strict<base.Tier>;
/** {@link base.Cloud}, its references typed as loaded only when included. */
export const Cloud = base.Cloud as unknown as StrictClass<typeof base.Cloud>;
/** An object of {@link base.Cloud} under the strict types. */
export type Cloud = Strict<base.Cloud>;
/** {@link base.DataCenter}, its references typed as loaded only when included. */
export const DataCenter = base.DataCenter as unknown as StrictClass<typeof base.DataCenter>;
/** An object of {@link base.DataCenter} under the strict types. */
export type DataCenter = Strict<base.DataCenter>;
/** {@link base.Region}, its references typed as loaded only when included. */
export const Region = base.Region as unknown as StrictClass<typeof base.Region>;
/** An object of {@link base.Region} under the strict types. */
export type Region = Strict<base.Region>;
/** {@link base.Subscription}, its references typed as loaded only when included. */
export const Subscription = base.Subscription as unknown as StrictClass<typeof base.Subscription>;
/** An object of {@link base.Subscription} under the strict types. */
export type Subscription = Strict<base.Subscription>;
/** {@link base.MachineImage}, its references typed as loaded only when included. */
export const MachineImage = base.MachineImage as unknown as StrictClass<typeof base.MachineImage>;
/** An object of {@link base.MachineImage} under the strict types. */
export type MachineImage = Strict<base.MachineImage>;
/** {@link base.Server}, its references typed as loaded only when included. */
export const Server = base.Server as unknown as StrictClass<typeof base.Server>;
/** An object of {@link base.Server} under the strict types. */
export type Server = Strict<base.Server>;
/** {@link base.ServerProduct}, its references typed as loaded only when included. */
export const ServerProduct = base.ServerProduct as unknown as StrictClass<typeof base.ServerProduct>;
/** An object of {@link base.ServerProduct} under the strict types. */
export type ServerProduct = Strict<base.ServerProduct>;
/** {@link base.Snapshot}, its references typed as loaded only when included. */
export const Snapshot = base.Snapshot as unknown as StrictClass<typeof base.Snapshot>;
/** An object of {@link base.Snapshot} under the strict types. */
export type Snapshot = Strict<base.Snapshot>;
/** {@link base.Volume}, its references typed as loaded only when included. */
export const Volume = base.Volume as unknown as StrictClass<typeof base.Volume>;
/** An object of {@link base.Volume} under the strict types. */
export type Volume = Strict<base.Volume>;
/** {@link base.Firewall}, its references typed as loaded only when included. */
export const Firewall = base.Firewall as unknown as StrictClass<typeof base.Firewall>;
/** An object of {@link base.Firewall} under the strict types. */
export type Firewall = Strict<base.Firewall>;
/** {@link base.FirewallRule}, its references typed as loaded only when included. */
export const FirewallRule = base.FirewallRule as unknown as StrictClass<typeof base.FirewallRule>;
/** An object of {@link base.FirewallRule} under the strict types. */
export type FirewallRule = Strict<base.FirewallRule>;
/** {@link base.LoadBalancer}, its references typed as loaded only when included. */
export const LoadBalancer = base.LoadBalancer as unknown as StrictClass<typeof base.LoadBalancer>;
/** An object of {@link base.LoadBalancer} under the strict types. */
export type LoadBalancer = Strict<base.LoadBalancer>;
/** {@link base.Network}, its references typed as loaded only when included. */
export const Network = base.Network as unknown as StrictClass<typeof base.Network>;
/** An object of {@link base.Network} under the strict types. */
export type Network = Strict<base.Network>;
/** {@link base.RelationalDatabase}, its references typed as loaded only when included. */
export const RelationalDatabase = base.RelationalDatabase as unknown as StrictClass<typeof base.RelationalDatabase>;
/** An object of {@link base.RelationalDatabase} under the strict types. */
export type RelationalDatabase = Strict<base.RelationalDatabase>;
/** {@link base.RelationalDatabaseProduct}, its references typed as loaded only when included. */
export const RelationalDatabaseProduct = base.RelationalDatabaseProduct as unknown as StrictClass<typeof base.RelationalDatabaseProduct>;
/** An object of {@link base.RelationalDatabaseProduct} under the strict types. */
export type RelationalDatabaseProduct = Strict<base.RelationalDatabaseProduct>;
/** {@link base.StorageObject}, its references typed as loaded only when included. */
export const StorageObject = base.StorageObject as unknown as StrictClass<typeof base.StorageObject>;
/** An object of {@link base.StorageObject} under the strict types. */
export type StorageObject = Strict<base.StorageObject>;
