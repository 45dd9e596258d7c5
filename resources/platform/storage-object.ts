/**
 * A blob or a container of a cloud object store. Read-only.
 *
 * API notes: the listing requires `regionId`. `type` (`blob` or `container`) is read as
 * `storageObject.type`.
 * The `read*`/`write*` flags come with containers only, `size` with blobs only.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';

@resource({ path: 'platform/StorageObject', collection: 'storageObjects', id: 'storageObjectId' })
export class StorageObject extends Resource {
  /** The list filters of `StorageObject.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', required: true, description: 'objects of this region' } });
  @attribute() storageObjectId!: number;
  @attribute({ idOf: () => BillingCode }) budget!: number;
  /** `blob` or `container`. */
  @attribute() type!: string;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  /** The enclosing container of a blob (`{ name }`), null for a container. */
  @attribute({ type: 'any' }) container!: Record<string, unknown> | null;
  @attribute() createdTimestamp!: string;
  @attribute() findFreeName!: boolean;
  @attribute({ type: 'string' }) label!: string | null;
  @attribute() lastModifiedTimestamp!: string;
  @attribute() name!: string;
  /** Singular name, array value. */
  @reference(() => Group, { many: true }) owningGroup!: Array<Ref<Group>>;
  @reference(() => User) owningUser!: Ref<User>;
  @attribute() providerId!: string;
  @attribute() readAny!: boolean;
  @attribute() readCode!: boolean;
  @attribute() readGroup!: boolean;
  @attribute() readPublic!: boolean;
  @attribute() writeAny!: boolean;
  @attribute() writeCode!: boolean;
  @attribute() writeGroup!: boolean;
  @reference(() => Region) region!: Ref<Region>;
  /** Bytes (blobs only). */
  @attribute() size!: number;
}
