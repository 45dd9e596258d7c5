/**
 * A backup of a data source. Read-only; the path
 * `automation/DataSourceBackup` is inferred and only the listing is assumed.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Server } from '../infrastructure/server.js';
import { DataSource } from './data-source.js';

@resource({ path: 'automation/DataSourceBackup', collection: 'dataSourceBackups', id: 'dataSourceBackupId', listOnly: true })
export class DataSourceBackup extends Resource {
  @attribute() dataSourceBackupId!: number;
  @reference(() => DataSource) dataSource!: Ref<DataSource>;
  @reference(() => Server) server!: Ref<Server>;
  @attribute() startTimestamp!: string;
  @attribute() endTimestamp!: string;
  /** `ERROR`, … */
  @attribute() status!: string;
}
